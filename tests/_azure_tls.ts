/**
 * A throw-away self-signed certificate for 127.0.0.1 (openssl), for local HTTPS stand-ins of
 * Azure services: the Azure SDKs only speak HTTPS to them. A process trusts it through
 * NODE_EXTRA_CA_CERTS (the SDKs' Node HTTP stack).
 *
 * @module
 */

/** Paths and PEM text of a certificate and its key. */
export interface TestCertificate {
  certFile: string;
  cert: string;
  key: string;
}

/** Make a certificate in `dir`; `null` when openssl is not installed. */
export async function selfSignedCertificate(dir: string): Promise<TestCertificate | null> {
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) return null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return {
    certFile: `${dir}/cert.pem`,
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
  };
}
