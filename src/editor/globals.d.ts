/** What the editor's page gives the bundled editor code: Node-RED's RED, jQuery and jQuery UI. */
import type { EditorRED } from 'node-red';

declare global {
  const RED: EditorRED;

  interface JQuery {
    /** jQuery UI's spinner, which Node-RED's editor loads */
    spinner(options: { min?: number; max?: number; step?: number }): JQuery;
  }

  interface Window {
    xassistEditor?: import('./registry').XAssistEditor;
  }
}
