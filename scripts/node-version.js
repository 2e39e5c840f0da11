// The Node.js check that runs before anything else: `npm install` (preinstall), `npm start`, the CLI and the worker.
// Keep this file to syntax and modules that every Node.js since 12 has: it must run on the Node it rejects, before
// a native module (better-sqlite3 needs a newer ABI) or a newer built-in can crash or fail to link.
import { readFileSync } from 'node:fs';

const PACKAGE_JSON = new URL('../package.json', import.meta.url);

/** The major version `engines.node` of package.json asks for (`>=24` → 24): the one place the requirement is written. */
export function requiredNodeMajor(engines = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).engines) {
  const match = /^>=\s*(\d+)(\.0)*$/.exec(String((engines && engines.node) || '').trim());
  if (!match)
    throw new Error(`package.json engines.node must read ">=<major>", got "${engines && engines.node}"`);
  return Number(match[1]);
}

/** null when `version` (e.g. "24.1.0") is new enough, else the one line that says what is needed and how to get it. */
export function nodeVersionProblem(version, requiredMajor) {
  const major = Number(String(version).replace(/^v/, '').split('.')[0]);
  if (major >= requiredMajor) return null;
  return (
    `data-exchange needs Node.js ${requiredMajor} or newer, this is Node.js ${String(version).replace(/^v/, '')}: ` +
    `install ${requiredMajor} from https://nodejs.org/en/download (or \`nvm install ${requiredMajor}\`) and run the command again`
  );
}

/** Exits with status 1 and the one-line message when the running Node.js is too old. */
export function exitUnlessSupportedNode() {
  const problem = nodeVersionProblem(process.versions.node, requiredNodeMajor());
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) exitUnlessSupportedNode();
