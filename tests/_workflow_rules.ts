/**
 * This project's own rules for its GitHub Actions workflows, on top of what actionlint checks:
 * a step runs only tasks deno.json defines and files that exist, actions are pinned to a version,
 * nothing secret can reach the log, and the repository variables are the ones `azd pipeline
 * config` sets or azure.yaml's `pipeline:` lists. {@link ruleProblems} returns one sentence per
 * broken rule, so a test can run the rules on the real workflows (none) and on broken ones (each
 * named).
 *
 * @module
 */
import { parse as parseYaml } from "yaml";

/** A workflow file: its name under .github/workflows and its text. */
export interface WorkflowFile {
  name: string;
  text: string;
}

/** One step of a job, with the environment it sees from the workflow, the job and itself. */
export interface WorkflowStep {
  workflow: string;
  job: string;
  name: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  /** Only the step's own `env:`. */
  stepEnv: Record<string, string>;
  /** The workflow's and the job's `env:`. */
  jobEnv: Record<string, string>;
}

/** What the rules check the workflows against. */
export interface RuleContext {
  /** deno.json's `tasks`. */
  tasks: Record<string, string>;
  /** Whether a repository-relative path exists. */
  exists(path: string): boolean;
  /** azure.yaml's `pipeline:` lists (what `azd pipeline config` copies besides its own five). */
  pipeline: { variables: readonly string[]; secrets: readonly string[] };
}

/** The variables `azd pipeline config` sets for GitHub with federated credentials. */
export const AZD_PIPELINE_VARIABLES = [
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
  "AZURE_SUBSCRIPTION_ID",
  "AZURE_ENV_NAME",
  "AZURE_LOCATION",
] as const;

// deno-lint-ignore no-explicit-any
type Yaml = any;

/** Every step of every job, in file order. */
export function workflowSteps(files: readonly WorkflowFile[]): WorkflowStep[] {
  const steps: WorkflowStep[] = [];
  for (const file of files) {
    const doc: Yaml = parseYaml(file.text);
    for (const [job, spec] of Object.entries<Yaml>(doc.jobs ?? {})) {
      for (const [i, step] of (spec.steps ?? []).entries()) {
        steps.push({
          workflow: file.name,
          job,
          name: step.name ?? `step ${i + 1}`,
          uses: step.uses,
          run: step.run,
          with: step.with,
          stepEnv: { ...step.env },
          jobEnv: { ...doc.env, ...spec.env },
        });
      }
    }
  }
  return steps;
}

/** `ci.yml job test step "Check out"`: where a problem is. */
export function stepLabel(step: WorkflowStep): string {
  return `${step.workflow} job ${step.job} step "${step.name}"`;
}

/** A value that looks secret by its variable's name. */
const SECRET_NAME = /\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CONNECTION)/i;

/**
 * Every broken rule, one sentence each; empty when the workflows keep them all.
 *
 * @example
 * ```ts ignore
 * const problems = ruleProblems([{ name: "ci.yml", text }], context);
 * ```
 */
export function ruleProblems(files: readonly WorkflowFile[], context: RuleContext): string[] {
  const problems: string[] = [];
  const steps = workflowSteps(files);
  for (const step of steps) {
    const at = stepLabel(step);
    if (step.uses !== undefined) {
      if (!/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) {
        problems.push(`${at} uses ${step.uses}: pin a version tag (@v4) or a commit, not a branch`);
      }
    }
    for (const [key, value] of Object.entries({ ...step.with })) {
      if (/\$\{\{\s*secrets\./.test(String(value))) {
        problems.push(`${at} passes a secret as input "${key}": secrets go in a step's env only`);
      }
    }
    const run = step.run;
    if (run === undefined) continue;
    for (const m of run.matchAll(/\bdeno task\s+(?:--?\w[\w-]*\s+)*([\w:.-]+)/g)) {
      if (!(m[1] in context.tasks)) {
        problems.push(`${at} runs "deno task ${m[1]}", which deno.json does not define`);
      }
    }
    for (const m of run.matchAll(/\b(?:bash|sh)\s+((?:\.{0,2}\/)?[\w./-]+)/g)) {
      if (!m[1].startsWith("-") && !context.exists(m[1])) {
        problems.push(`${at} runs "${m[0]}", but ${m[1]} does not exist`);
      }
    }
    // An expression is pasted into the script before bash runs it: a value with a quote breaks
    // out (script injection), and a secret pasted there is part of the command line.
    if (/\$\{\{/.test(run)) {
      problems.push(`${at} has a \${{ }} expression in its script: pass the value through env`);
    }
    if (/\bset\s+-\w*x|\bprintenv\b|^\s*env\s*$|\bcat\s+\S*\.env\b/m.test(run)) {
      problems.push(`${at} prints its environment or .env (set -x, printenv, env, cat .env)`);
    }
    for (const line of run.split("\n")) {
      if (/\b(echo|printf)\b/.test(line) && SECRET_NAME.test(line)) {
        problems.push(`${at} prints a secret-looking variable: ${line.trim()}`);
      }
      if (/azd env get-values/.test(line) && !/>\s*\S+\s*$/.test(line)) {
        problems.push(`${at} prints azd env get-values to the log: redirect it to a file`);
      }
    }
  }
  const allowed = {
    vars: new Set<string>([...AZD_PIPELINE_VARIABLES, ...context.pipeline.variables]),
    secrets: new Set<string>(context.pipeline.secrets),
  };
  for (const file of files) {
    if (/client-secret|^\s*creds:|AZURE_CREDENTIALS/m.test(file.text)) {
      problems.push(
        `${file.name} signs in with a client secret: use the OIDC federated credential`,
      );
    }
    const doc: Yaml = parseYaml(file.text);
    const envs = [
      ["the workflow", doc.env],
      ...Object.entries<Yaml>(doc.jobs ?? {}).map((
        [job, spec],
      ) => [`job ${job}`, spec.env]),
    ];
    for (const [where, env] of envs) {
      if (/secrets\./.test(JSON.stringify(env ?? {}))) {
        problems.push(`${file.name}: ${where} puts a secret in env: only the step that needs it`);
      }
    }
    for (const m of file.text.matchAll(/\b(vars|secrets)\.(\w+)/g)) {
      if (!allowed[m[1] as "vars" | "secrets"].has(m[2])) {
        problems.push(
          `${file.name} reads ${
            m[0]
          }, which azd pipeline config does not set and azure.yaml's pipeline does not list`,
        );
      }
    }
  }
  return problems;
}
