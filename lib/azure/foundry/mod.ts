/**
 * The Azure AI Foundry project: its endpoint and resource id, the portal pages where a learner
 * finds the project, its evaluation runs and its traces, and `foundryPortalView`, the notebook
 * cell that links them. Pure functions: nothing here calls Azure.
 *
 * @module
 */
export * from "./project.ts";
export * from "./view.ts";
