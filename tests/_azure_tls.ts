/**
 * A throw-away self-signed certificate for 127.0.0.1 (openssl), for local HTTPS stand-ins of
 * Azure services: the Azure SDKs only speak HTTPS to them. A process trusts it through
 * NODE_EXTRA_CA_CERTS (the SDKs' Node HTTP stack). Tests that need it pass `ignore:
 * openssl.ignore`: ignored locally without openssl, failing on CI (`.ci/run` installs it).
 *
 * @module
 */
import { onPath, type RequiredTool, requiredTool } from "./_required_tool.ts";

/** The gate of the tests that need openssl (see `_required_tool.ts`). */
export const openssl: RequiredTool = requiredTool({
  what: "openssl",
  found: onPath("openssl"),
  hint: "apt-get install -y openssl",
});

/** Paths and PEM text of a certificate and its key. */
export interface TestCertificate {
  certFile: string;
  cert: string;
  key: string;
}

/** Make a certificate in `dir`; throws the install hint when openssl is not installed. */
export async function selfSignedCertificate(dir: string): Promise<TestCertificate> {
  openssl.require();
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
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot make a test certificate: ${new TextDecoder().decode(out.stderr)}`);
  }
  return {
    certFile: `${dir}/cert.pem`,
    cert: await Deno.readTextFile(`${dir}/cert.pem`),
    key: await Deno.readTextFile(`${dir}/key.pem`),
  };
}
