/**
 * Compiles contracts/ProvenanceAnchor.sol with solc-js (standard JSON, optimizer on, offline: the bundled compiler
 * only, never a remote version) and caches the artifact in contracts/build/ProvenanceAnchor.json.
 * As a script (`npm run build:contracts`) it always recompiles and writes the artifact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonFragment } from 'ethers';

/** What deploying and talking to the contract needs, plus the fingerprint that says which input produced it. */
export interface ContractArtifact {
  readonly contractName: string;
  readonly abi: readonly JsonFragment[];
  /** 0x-prefixed creation bytecode. */
  readonly bytecode: string;
  /** 0x-prefixed runtime bytecode. */
  readonly deployedBytecode: string;
  /** solc version string, e.g. `0.8.37+commit.f401782d.Emscripten.clang`. */
  readonly compiler: string;
  /** sha256 hex of the .sol source. */
  readonly sourceHash: string;
  /** sha256 hex of solc's package version plus the whole standard JSON input (source and settings). */
  readonly inputHash: string;
  /** Compiler warnings (formatted); empty for a clean build. */
  readonly warnings: readonly string[];
}

const CONTRACT_NAME = 'ProvenanceAnchor';
const SOURCE_NAME = `${CONTRACT_NAME}.sol`;
const CONTRACTS_DIR = dirname(fileURLToPath(import.meta.url));
const SOURCE_PATH = join(CONTRACTS_DIR, SOURCE_NAME);
/** Where the loader caches the artifact (git-ignored). */
export const PROVENANCE_ANCHOR_ARTIFACT_PATH = join(CONTRACTS_DIR, 'build', `${CONTRACT_NAME}.json`);

/** cancun: PUSH0/MCOPY-era bytecode that anvil and current public chains all run. Many runs: anchor() is hot. */
const SETTINGS = {
  optimizer: { enabled: true, runs: 10_000 },
  evmVersion: 'cancun',
  outputSelection: {
    [SOURCE_NAME]: { [CONTRACT_NAME]: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
  },
} as const;

interface SolcModule {
  compile(input: string): string;
  version(): string;
}

interface SolcError {
  severity: 'error' | 'warning' | 'info';
  formattedMessage?: string;
  message: string;
}

interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<
    string,
    Record<
      string,
      { abi: JsonFragment[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

const require = createRequire(import.meta.url);

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function standardInput(source: string): string {
  return JSON.stringify({
    language: 'Solidity',
    sources: { [SOURCE_NAME]: { content: source } },
    settings: SETTINGS,
  });
}

/** Cheap: reads solc's package.json, not the 10 MB compiler. */
function fingerprint(input: string): string {
  const { version } = require('solc/package.json') as { version: string };
  return sha256(`solc@${version}\n${input}`);
}

/**
 * Compiles ProvenanceAnchor.sol synchronously (about a second, most of it loading solc).
 * Throws an Error listing solc's messages when compilation fails; warnings are returned, not thrown.
 */
export function compileContracts(): ContractArtifact {
  const source = readFileSync(SOURCE_PATH, 'utf8');
  const input = standardInput(source);
  const solc = require('solc') as SolcModule;
  const output = JSON.parse(solc.compile(input)) as SolcOutput;
  const messages = output.errors ?? [];
  const errors = messages.filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage ?? e.message).join('\n')}`);
  }
  const compiled = output.contracts?.[SOURCE_NAME]?.[CONTRACT_NAME];
  if (!compiled) throw new Error(`solc produced no output for ${SOURCE_NAME}:${CONTRACT_NAME}`);
  return {
    contractName: CONTRACT_NAME,
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
    compiler: solc.version(),
    sourceHash: sha256(source),
    inputHash: fingerprint(input),
    warnings: messages.filter((e) => e.severity === 'warning').map((e) => e.formattedMessage ?? e.message),
  };
}

/** Writes the artifact atomically (temp file + rename), so concurrent readers never see half a file. */
export async function writeArtifact(
  artifact: ContractArtifact,
  path: string = PROVENANCE_ANCHOR_ARTIFACT_PATH,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(artifact, null, 2)}\n`);
  await rename(temp, path);
}

function isArtifact(value: unknown): value is ContractArtifact {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return typeof a.inputHash === 'string' && typeof a.bytecode === 'string' && Array.isArray(a.abi);
}

/**
 * Returns the cached artifact when its inputHash matches the current source, settings and solc version;
 * otherwise compiles and rewrites the cache. A missing, unreadable or stale cache is not an error.
 */
export async function loadProvenanceAnchorArtifact(
  path: string = PROVENANCE_ANCHOR_ARTIFACT_PATH,
): Promise<ContractArtifact> {
  const expected = fingerprint(standardInput(await readFile(SOURCE_PATH, 'utf8')));
  try {
    const cached: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (isArtifact(cached) && cached.inputHash === expected) return cached;
  } catch {
    // missing or corrupt: rebuild below
  }
  const artifact = compileContracts();
  await writeArtifact(artifact, path);
  return artifact;
}

async function main(): Promise<void> {
  const started = performance.now();
  const artifact = compileContracts();
  await writeArtifact(artifact);
  for (const warning of artifact.warnings) console.warn(warning);
  const ms = Math.round(performance.now() - started);
  const bytes = (artifact.deployedBytecode.length - 2) / 2;
  console.log(
    `${artifact.contractName}: ${bytes} bytes runtime, ${artifact.compiler}, ${ms} ms -> ${relative(process.cwd(), PROVENANCE_ANCHOR_ARTIFACT_PATH)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
