// What a semantic check or an editor feature may look at: the document, the other files
// of the mail stack (through the workspace model), and the user's settings.

import type { Workspace, WorkspaceDocument } from './stack/workspace';
import type { Settings } from './settings';

export interface AnalysisContext {
  doc: WorkspaceDocument;
  workspace: Workspace;
  settings: Settings;
}
