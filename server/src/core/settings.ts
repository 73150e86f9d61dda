// What the user configured, as the core sees it. The front ends fill it from
// `mailconf.*` settings (VS Code, LSP workspace/configuration) or command-line flags.

export interface Settings {
  /** The Postfix release the configuration is for ("3.7", "3.7.11"), or "latest". */
  postfixVersion: string;
}

export const DEFAULT_SETTINGS: Settings = {
  postfixVersion: 'latest',
};
