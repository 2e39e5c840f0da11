/**
 * The layout rule of the house, as an ESLint rule: libs (and the sandbox) never import apps, an app never imports
 * another app, and a lib is reached only through `@app/<lib>` (its index.ts) or a named second entry point, never
 * through a deep `@app/<lib>/...` path or a relative path into its folder. Every form of import is checked: static,
 * re-export, dynamic `import()`, `import('...').T` types, `import x = require()` and `require()`.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Which top-level area (`apps`, `libs`, `sandbox`, ...) and which app or lib a path lies in, from the root. */
function place(root, path) {
  const parts = relative(root, path).split(sep);
  if (parts[0] === '..' || isAbsolute(parts[0] ?? '')) return { area: null, name: null };
  return { area: parts[0], name: parts[0] === 'apps' || parts[0] === 'libs' ? (parts[1] ?? null) : null };
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'keep apps, libs and their entry points apart' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          entryPoints: { type: 'array', items: { type: 'string', pattern: '^@app/[a-z0-9-]+/' } },
        },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      appFromLib:
        '{{from}} never imports an app ({{target}}): move what both need into a lib (the domain is composed in @app/platform).',
      appFromApp: 'An app never imports another app ({{target}}): share it through a lib.',
      deepImport: "Import {{lib}} through '@app/{{lib}}'{{others}}, not the deep path '{{specifier}}'.",
      relativeLib: "Import libs/{{lib}} through '@app/{{lib}}', not the relative path '{{specifier}}'.",
    },
  },

  create(context) {
    const { root, entryPoints = [] } = context.options[0];
    const file = context.filename;
    const from = place(root, file);

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const scoped = /^@app\/([^/]+)\/(.+)$/.exec(specifier);
      if (scoped) {
        if (entryPoints.includes(specifier)) return;
        const lib = scoped[1];
        const named = entryPoints.filter((entry) => entry.startsWith(`@app/${lib}/`));
        const others = named.length ? ` or ${named.map((entry) => `'${entry}'`).join(', ')}` : '';
        context.report({ node, messageId: 'deepImport', data: { lib, others, specifier } });
        return;
      }
      let target;
      if (specifier.startsWith('.')) target = resolve(dirname(file), specifier);
      else if (isAbsolute(specifier)) target = specifier;
      else if (/^(apps|libs)\//.test(specifier)) target = resolve(root, specifier);
      else return;
      const to = place(root, target);
      if (to.area === 'apps' && (from.area === 'libs' || from.area === 'sandbox')) {
        const label = from.area === 'libs' ? `A lib (${from.name})` : 'The sandbox';
        context.report({ node, messageId: 'appFromLib', data: { from: label, target: specifier } });
      } else if (to.area === 'apps' && from.area === 'apps' && to.name !== from.name) {
        context.report({ node, messageId: 'appFromApp', data: { target: specifier } });
      } else if (to.area === 'libs' && to.name && !(from.area === 'libs' && from.name === to.name)) {
        context.report({ node, messageId: 'relativeLib', data: { lib: to.name, specifier } });
      }
    }

    const literal = (node) => {
      if (node?.type === 'Literal') return node.value;
      if (node?.type === 'TemplateLiteral' && node.expressions.length === 0)
        return node.quasis[0].value.cooked;
      return undefined;
    };

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ImportExpression: (node) => check(node.source, literal(node.source)),
      TSImportType: (node) => {
        const source = node.source ?? node.argument?.literal;
        check(source, literal(source));
      },
      TSExternalModuleReference: (node) => check(node.expression, literal(node.expression)),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length === 1
        )
          check(node.arguments[0], literal(node.arguments[0]));
      },
    };
  },
};
