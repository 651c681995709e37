import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { VIEWS_DIR } from '../server/plugins/views.ts';

function templates(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return templates(full);
    return entry.name.endsWith('.hbs') ? [full] : [];
  });
}

describe('templates', () => {
  // Output escaping covers & < > " only, which is safe for text and double-quoted attributes.
  test('every attribute that holds a value from data is double-quoted, and no template uses triple braces but the layout body', () => {
    for (const file of templates(VIEWS_DIR)) {
      const source = fs.readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/=\s*\{\{/);
      expect(source, file).not.toMatch(/=\s*'[^']*\{\{/);
      const raw = [...source.matchAll(/\{\{\{\s*([^}]*)\}\}\}/g)].map((m) => m[1]!.trim());
      expect(raw, file).toEqual(file.endsWith(path.join('layouts', 'main.hbs')) ? ['body'] : []);
    }
  });

  test('every visible word goes through i18n: no bare French or English text between tags', () => {
    for (const file of templates(VIEWS_DIR)) {
      const source = fs.readFileSync(file, 'utf8')
        .replace(/\{\{[^}]*\}\}/g, '')
        .replace(/<[^>]*>/g, '\n');
      const words = source.split('\n').map((line) => line.trim()).filter((line) => /[A-Za-zÀ-ÿ]{2,}/.test(line));
      expect(words, file).toEqual([]);
    }
  });
});
