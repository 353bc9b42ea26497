import type { ApplicationFunctionOptions, Probot } from "probot";
import { codegenApp } from "./app/codegen-app.js";
import { loadAppSettings } from "./config/app-settings.js";

/** The Probot entry point (`probot run ./lib/index.js`): settings come from the environment. */
export default (app: Probot, options: ApplicationFunctionOptions): void => {
  codegenApp({ settings: loadAppSettings(process.env) })(app, options);
};
