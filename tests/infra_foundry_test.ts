/**
 * The Azure AI Foundry project in infra/, in the current resource model: the AI Services account
 * is a Foundry resource (project management on, a managed identity, a custom subdomain), the
 * project is its child, created after the model deployments, with connections to Application
 * Insights and Azure AI Search that store no access key, and the roles the app, the learner and
 * the project's identity need. The endpoint and the deployment outputs are evaluated from the
 * templates' expressions, not matched as text.
 */
import assert from "node:assert/strict";
import { AZURE_VARIABLES, DEPLOYMENT_OUTPUTS, parseProjectEndpoint } from "../lib/mod.ts";
import {
  evaluate,
  moduleBlocks,
  outputExpression,
  properties,
  readInfra,
  type ResourceBlock,
  resourceBlocks,
  varExpression,
} from "./_bicep.ts";

const SOURCES = readInfra();
const main = SOURCES.get("main.bicep")!;
const ai = SOURCES.get("modules/ai.bicep")!;
const foundry = SOURCES.get("modules/foundry.bicep")!;
const search = SOURCES.get("modules/search.bicep")!;
const monitoring = SOURCES.get("modules/monitoring.bicep")!;

/** Built-in role ids, from the Azure built-in roles reference. */
const ROLES = {
  azureAiUser: "53ca6127-db72-4b80-b1b0-d745d6d5456d", // Azure AI User (Foundry User)
  logAnalyticsReader: "73c42c96-874c-492b-b04d-ab87d138a893",
  searchIndexDataReader: "1407120a-92aa-4202-b7e9-c0e197c71c8f",
};

const PROJECT_ENDPOINT =
  /^https:\/\/[a-z0-9][a-z0-9-]*\.services\.ai\.azure\.com\/api\/projects\/[A-Za-z0-9][\w.-]*$/;

const inner = (object: string) => properties(object.trim().slice(1, -1));
const mainModule = (path: string) => {
  const m = moduleBlocks(main).find((b) => b.path === path);
  assert.ok(m, `main.bicep calls ${path}`);
  return { ...m, params: inner(properties(m.body).get("params")!) };
};
const resource = (source: string, type: string, existing = false): ResourceBlock => {
  const found = resourceBlocks(source).filter((b) => b.type === type && b.existing === existing);
  assert.equal(found.length, 1, `one ${existing ? "existing " : ""}${type}`);
  return found[0];
};

Deno.test("modules/ai.bicep: the AI Services account is a Foundry resource that can hold projects", () => {
  const account = resource(ai, "Microsoft.CognitiveServices/accounts");
  const top = properties(account.body);
  assert.equal(top.get("kind"), "'AIServices'");
  assert.equal(inner(top.get("identity")!).get("type"), "'SystemAssigned'", "projects need one");
  const props = inner(top.get("properties")!);
  assert.equal(props.get("allowProjectManagement"), "true");
  assert.equal(props.get("customSubDomainName"), "name");
  assert.equal(props.get("disableLocalAuth"), "true");
});

Deno.test("modules/foundry.bicep: the project is a child of that account, after its model deployments", () => {
  const account = resource(foundry, "Microsoft.CognitiveServices/accounts", true);
  assert.equal(properties(account.body).get("name"), "accountName");
  const project = resource(foundry, "Microsoft.CognitiveServices/accounts/projects");
  const top = properties(project.body);
  assert.equal(top.get("parent"), account.symbol);
  assert.equal(top.get("name"), "projectName");
  assert.equal(inner(top.get("identity")!).get("type"), "'SystemAssigned'");
  assert.ok(!project.condition, "always created");
  // The account name comes from the ai module's output: the project waits for that whole module
  // (its @batchSize(1) deployments included) and names the same account.
  const call = mainModule("modules/foundry.bicep");
  assert.equal(call.params.get("accountName"), "ai.outputs.name");
  assert.equal(outputExpression(ai, "name"), "account.name");
  // A project lives in its account's region.
  assert.equal(top.get("location"), "location");
  assert.equal(call.params.get("location"), mainModule("modules/ai.bicep").params.get("location"));
  assert.equal(call.params.get("appInsightsName"), "monitoring.outputs.appInsightsName");
  assert.equal(call.params.get("searchName"), "search.outputs.name");
  assert.equal(outputExpression(monitoring, "appInsightsName"), "appInsights.name");
  assert.equal(outputExpression(search, "name"), "search.name");
});

Deno.test("modules/foundry.bicep: connections to Application Insights and Azure AI Search, no access key", async (t) => {
  const connections = resourceBlocks(foundry).filter((b) =>
    b.type === "Microsoft.CognitiveServices/accounts/projects/connections"
  );
  const project = resource(foundry, "Microsoft.CognitiveServices/accounts/projects");
  const byCategory = new Map(connections.map((c) => {
    const props = inner(properties(c.body).get("properties")!);
    return [evaluate(props.get("category")!, {}) as string, { block: c, props }];
  }));
  assert.deepEqual([...byCategory.keys()].sort(), ["AppInsights", "CognitiveSearch"]);
  for (const { block } of byCategory.values()) {
    assert.equal(properties(block.body).get("parent"), project.symbol, block.symbol);
  }
  const names = connections.map((c) => evaluate(properties(c.body).get("name")!, {}));
  assert.equal(new Set(names).size, names.length, "distinct connection names");

  await t.step(
    "Search: Entra ID, the same endpoint the app uses, the service's resource id",
    () => {
      const { props } = byCategory.get("CognitiveSearch")!;
      assert.equal(props.get("authType"), "'AAD'");
      assert.ok(!props.has("credentials"), "no key stored");
      const searchService = resource(foundry, "Microsoft.Search/searchServices", true);
      // Differential: the connection's target and search.bicep's endpoint output, evaluated on
      // the same service name.
      const scope = { [searchService.symbol]: { name: "srch-7q3xw5" } };
      const target = evaluate(props.get("target")!, scope);
      assert.equal(
        target,
        evaluate(outputExpression(search, "endpoint")!, { search: { name: "srch-7q3xw5" } }),
      );
      assert.equal(target, "https://srch-7q3xw5.search.windows.net");
      assert.equal(inner(props.get("metadata")!).get("ResourceId"), `${searchService.symbol}.id`);
    },
  );

  await t.step(
    "Application Insights: the component the app exports to; local auth off there",
    () => {
      const { props } = byCategory.get("AppInsights")!;
      const component = resource(foundry, "Microsoft.Insights/components", true);
      assert.equal(props.get("target"), `${component.symbol}.id`);
      assert.equal(inner(props.get("metadata")!).get("ResourceId"), `${component.symbol}.id`);
      // The category's documented shape stores the connection string as its `key`. It grants
      // nothing by itself only while the component refuses local (instrumentation-key) auth.
      assert.equal(props.get("authType"), "'ApiKey'");
      const credentials = inner(props.get("credentials")!);
      assert.deepEqual([...credentials.keys()], ["key"]);
      assert.equal(credentials.get("key"), `${component.symbol}.properties.ConnectionString`);
      const appInsights = resource(monitoring, "Microsoft.Insights/components");
      assert.equal(
        inner(properties(appInsights.body).get("properties")!).get("DisableLocalAuth"),
        "true",
      );
    },
  );

  await t.step("nothing else in infra/ stores credentials", () => {
    for (const [file, source] of SOURCES) {
      for (const block of resourceBlocks(source)) {
        const has = /^\s*credentials\s*:/m.test(block.body);
        const allowed = file === "modules/foundry.bicep" &&
          block.symbol === byCategory.get("AppInsights")!.block.symbol;
        assert.equal(has, allowed, `${file}: ${block.symbol}`);
      }
    }
  });
});

/** One role assignment of a file, its parts as expressions. */
function roleAssignments(source: string) {
  const vars = (name: string) => {
    const value = varExpression(source, name);
    return value ? evaluate(value, {}) as string : undefined;
  };
  return resourceBlocks(source)
    .filter((b) => b.type === "Microsoft.Authorization/roleAssignments")
    .map((b) => {
      const top = properties(b.body);
      const props = inner(top.get("properties")!);
      const role = props.get("roleDefinitionId")!.match(/,\s*(\w+)\)$/)![1];
      return {
        symbol: b.symbol,
        condition: b.condition,
        scope: top.get("scope")!,
        name: top.get("name")!,
        principal: props.get("principalId")!,
        principalType: props.get("principalType")!,
        roleVar: role,
        role: vars(role),
      };
    });
}

Deno.test("modules/foundry.bicep: the roles the app, the learner and the project need", async (t) => {
  const assignments = roleAssignments(foundry);
  const project = resource(foundry, "Microsoft.CognitiveServices/accounts/projects").symbol;
  const appInsights = resource(foundry, "Microsoft.Insights/components", true).symbol;
  const searchService = resource(foundry, "Microsoft.Search/searchServices", true).symbol;
  const find = (scope: string, principal: string, role: string) => {
    const found = assignments.filter((a) =>
      a.scope === scope && a.principal === principal && a.role === role
    );
    assert.equal(found.length, 1, `${principal} has ${role} on ${scope}`);
    return found[0];
  };

  await t.step(
    "the app's identity: Azure AI User on the project (evaluations, connections)",
    () => {
      const a = find(project, "appPrincipalId", ROLES.azureAiUser);
      assert.equal(a.principalType, "'ServicePrincipal'");
      assert.equal(a.condition, undefined);
    },
  );
  await t.step(
    "the learner: Azure AI User on the project, only when AZURE_PRINCIPAL_ID is set",
    () => {
      const a = find(project, "userPrincipalId", ROLES.azureAiUser);
      assert.equal(a.condition, "!empty(userPrincipalId)");
      assert.equal(a.principalType, "userPrincipalType");
    },
  );
  await t.step(
    "the learner: Log Analytics Reader on Application Insights (the tracing view)",
    () => {
      const a = find(appInsights, "userPrincipalId", ROLES.logAnalyticsReader);
      assert.equal(a.condition, "!empty(userPrincipalId)");
    },
  );
  await t.step("the project's identity: Search Index Data Reader (the Entra ID connection)", () => {
    const a = find(searchService, `${project}.identity.principalId`, ROLES.searchIndexDataReader);
    assert.equal(a.principalType, "'ServicePrincipal'");
  });
  await t.step(
    "names are guid(scope id, principal, role): stable across provisions, distinct",
    () => {
      for (const a of assignments) {
        const parts = a.name.match(/^guid\((.+)\)$/)?.[1].split(",").map((p) => p.trim());
        assert.ok(parts, `${a.symbol}: name is a guid()`);
        assert.equal(parts[0], `${a.scope}.id`, `${a.symbol}: scope`);
        assert.ok(parts.includes(a.roleVar), `${a.symbol}: role`);
        const principal = a.principal.replace(/\.identity\.principalId$/, ".id");
        assert.ok(parts.includes(principal), `${a.symbol}: principal`);
      }
      assert.equal(new Set(assignments.map((a) => a.name)).size, assignments.length);
    },
  );
});

Deno.test("main.bicep: the project endpoint and the deployment outputs, evaluated", async (t) => {
  const call = mainModule("modules/foundry.bicep");
  const aiCall = mainModule("modules/ai.bicep");
  const token = "7q3xw5kzl2m4a";
  const accountName = evaluate(aiCall.params.get("name")!, { token }) as string;
  const projectName = evaluate(call.params.get("projectName")!, {}) as string;
  // The account's subdomain is its name (modules/ai.bicep), the project's name its parameter.
  const account = { name: accountName, properties: { customSubDomainName: accountName } };
  const projectId =
    `/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-dev/providers/Microsoft.CognitiveServices/accounts/${accountName}/projects/${projectName}`;
  const foundryOutputs = Object.fromEntries(
    ["endpoint", "name", "id"].map((name) => [
      name,
      evaluate(outputExpression(foundry, name)!, {
        account,
        project: { name: projectName, id: projectId },
      }),
    ]),
  );
  const aiOutputs = {
    name: evaluate(outputExpression(ai, "name")!, { account }),
    endpoint: evaluate(outputExpression(ai, "endpoint")!, { account }),
  };
  const output = (name: string) =>
    evaluate(outputExpression(main, name)!, {
      foundry: { outputs: foundryOutputs },
      ai: { outputs: aiOutputs },
    });

  await t.step(
    "AZURE_AI_PROJECT_ENDPOINT has the project endpoint's shape, on the account's subdomain",
    () => {
      const endpoint = output("AZURE_AI_PROJECT_ENDPOINT") as string;
      assert.equal(endpoint, `https://ai-${token}.services.ai.azure.com/api/projects/contoso-chat`);
      assert.match(endpoint, PROJECT_ENDPOINT);
      const openAi = new URL(output("AZURE_OPENAI_ENDPOINT") as string);
      assert.equal(new URL(endpoint).hostname.split(".")[0], openAi.hostname.split(".")[0]);
    },
  );
  await t.step("it is app configuration (set on the Container App), optional for the app", () => {
    assert.ok(AZURE_VARIABLES.includes("AZURE_AI_PROJECT_ENDPOINT"));
    assert.match(main, /^\s{2}AZURE_AI_PROJECT_ENDPOINT:\s*foundry\.outputs\.endpoint$/m);
  });
  await t.step("AZURE_AI_PROJECT_NAME / _ACCOUNT_NAME / _PROJECT_ID for the tooling", () => {
    assert.equal(output("AZURE_AI_PROJECT_NAME"), "contoso-chat");
    assert.equal(output("AZURE_AI_ACCOUNT_NAME"), accountName);
    assert.equal(output("AZURE_AI_PROJECT_ID"), projectId);
    const tooling = DEPLOYMENT_OUTPUTS.map((o) => o.name);
    for (const name of ["AZURE_AI_PROJECT_NAME", "AZURE_AI_ACCOUNT_NAME", "AZURE_AI_PROJECT_ID"]) {
      assert.ok(tooling.includes(name), name);
    }
    // The id is the project's own ARM id, the account's under it (portal links use both).
    const id = output("AZURE_AI_PROJECT_ID") as string;
    assert.match(
      id,
      /\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+\/projects\/[^/]+$/,
    );
    assert.ok(id.includes(`/accounts/${output("AZURE_AI_ACCOUNT_NAME")}/projects/`));
  });
  await t.step(
    "the app's endpoint parser reads the same account and project as the outputs",
    () => {
      // lib/azure/foundry/project.ts is what eval --log-to-project and the plans use on this value.
      const parsed = parseProjectEndpoint(output("AZURE_AI_PROJECT_ENDPOINT") as string);
      assert.equal(parsed.account, output("AZURE_AI_ACCOUNT_NAME"));
      assert.equal(parsed.project, output("AZURE_AI_PROJECT_NAME"));
    },
  );
});
