import { buildDesiredToken } from './build-desired-token.js';
import { inlineGrants, setGrants, templateEntryFiller } from './collect-grants.js';
import type { GrantContext } from './collect-grants.js';
import { expandDatabases } from './expand-databases.js';
import type { ExpandedEntry, Expansion, ExpansionBudget } from './expansion-types.js';
import { MANIFEST_LIMITS } from './limits.js';
import type { Locate, PathSegment } from './locate-node.js';
import { createSetResolver, spend } from './resolve-permission-sets.js';
import {
  KNOWN_PLACEHOLDERS,
  findPlaceholders,
  substitutePlaceholders,
} from './substitute-placeholders.js';
import type { ManifestDocument, SourcePosition, TemplateSpec } from './types.js';

/**
 * Expands a schema-valid manifest into desired tokens: declared tokens first in file order,
 * then each template for each of its teams in file order (and the declared databases, whose
 * names `{database}` stands for). Pure and deterministic: the same
 * manifest always yields the same list. Tolerates what the rules report (undefined sets,
 * cycles, unknown placeholders) so that every problem can be reported in one run.
 */
export function expandManifest(manifest: ManifestDocument, locate: Locate): Expansion {
  const defaults = manifest.defaults ?? {};
  const budget: ExpansionBudget = {
    grantsLeft: MANIFEST_LIMITS.maxExpandedGrants,
    tokensLeft: MANIFEST_LIMITS.maxExpandedTokens,
    exhausted: false,
  };
  const resolveSet = createSetResolver(manifest.permissionSets ?? {}, locate, budget);
  const ctx: GrantContext = { locate, budget, resolveSet };
  const entries: ExpandedEntry[] = [];
  const admit = (entry: ExpandedEntry): void => {
    if (budget.tokensLeft <= 0) {
      budget.exhausted = true;
      return;
    }
    budget.tokensLeft -= 1;
    entries.push(entry);
  };

  (manifest.tokens ?? []).forEach((spec, index) => {
    const path: PathSegment[] = ['tokens', index];
    const grants = [...inlineGrants(spec, path, ctx), ...setGrants(spec, path, ctx)];
    const identity = {
      name: spec.name,
      description: spec.description ?? spec.name,
      previousNames: spec.previousNames ?? [],
      team: null,
      source: locate(path),
    };
    admit({
      token: buildDesiredToken(spec, identity, grants, defaults),
      origin: { kind: 'token', index },
      path,
      grants,
      broken: false,
    });
  });

  const teams = manifest.teams ?? [];
  const databases = expandDatabases(manifest, locate);
  (manifest.templates ?? []).forEach((template, index) => {
    const path: PathSegment[] = ['templates', index];
    const source = locate(path);
    // Every team's token names the same list items: find each position once per template.
    const templateCtx: GrantContext = { ...ctx, locate: memoizeLocate(locate) };
    const fromSets = setGrants(template, path, templateCtx);
    const broken = !isFillable(template);
    const wanted = template.teams === undefined ? null : new Set(template.teams);
    for (const [t, team] of teams.entries()) {
      if (budget.exhausted) return;
      if (wanted !== null && !wanted.has(team.name)) continue;
      const teamDatabases = databases.perTeam[t] ?? [];
      const each = template.per === 'database' ? teamDatabases : [undefined];
      for (const database of each) {
        const values = database === undefined ? { team: team.name } : { team: team.name, database };
        const name = substitutePlaceholders(template.name, values, 'name');
        const grants = [
          ...inlineGrants(
            template,
            path,
            templateCtx,
            templateEntryFiller(team.name, teamDatabases, values),
          ),
          // Each token holds its own copy, so the copies count against the budget too.
          ...fromSets.filter(() => spend(budget)),
        ];
        const identity = {
          name,
          description: substitutePlaceholders(template.description ?? name, values, 'text'),
          previousNames: (template.previousNames ?? []).map((previous) =>
            substitutePlaceholders(previous, values, 'name'),
          ),
          team: team.name,
          source,
        };
        admit({
          token: buildDesiredToken(template, identity, grants, defaults),
          origin: { kind: 'template', index, team: team.name, database: database ?? null },
          path,
          grants,
          broken,
        });
      }
    }
  });
  return { entries, databases, exhausted: budget.exhausted };
}

function memoizeLocate(locate: Locate): Locate {
  const cache = new Map<string, SourcePosition>();
  return (path, part = 'value') => {
    const key = `${part}:${path.join('\u0000')}`;
    let position = cache.get(key);
    if (position === undefined) {
      position = locate(path, part);
      cache.set(key, position);
    }
    return position;
  };
}

/** Whether every placeholder of the template can be filled for the way it is expanded. */
export function isFillable(template: TemplateSpec): boolean {
  const known = new Set<string>(KNOWN_PLACEHOLDERS);
  const perDatabase = template.per === 'database';
  const named = [template.name, template.description ?? '', ...(template.previousNames ?? [])];
  const listed = [...(template.read ?? []), ...(template.write ?? [])];
  return (
    named.every((text) =>
      findPlaceholders(text).every((p) => known.has(p) && (perDatabase || p !== 'database')),
    ) && listed.every((text) => findPlaceholders(text).every((p) => known.has(p)))
  );
}
