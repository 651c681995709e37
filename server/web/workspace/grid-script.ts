// The words the grid's script (views/assets/grid.js) shows, in the page's language: the
// script has no catalogue of its own, the grid page hands it these.
import type { Language } from '../../db/schema.ts';

export function gridScriptMessages(_locale: Language): Record<string, string> {
  return {};
}
