import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** How to start anvil: the native binary when found, else node running the package's wrapper script. */
export interface AnvilCommand {
  readonly command: string;
  readonly prefixArgs: readonly string[];
}

const ARCH: Partial<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' };

/**
 * Locates anvil from the `@foundry-rs/anvil` dev dependency. `node_modules/.bin/anvil` is a node wrapper that
 * spawns the platform package's binary (`@foundry-rs/anvil-<os>-<arch>/bin/anvil`); we spawn that binary directly
 * so stop() signals reach anvil itself. `ANVIL_BIN` overrides. Throws when neither is installed.
 */
export function resolveAnvilCommand(): AnvilCommand {
  const override = process.env.ANVIL_BIN;
  if (override) return { command: override, prefixArgs: [] };
  const wrapperPackageJson = createRequire(import.meta.url).resolve('@foundry-rs/anvil/package.json');
  const binaryName = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const arch = ARCH[process.arch];
  if (arch) {
    try {
      const native = createRequire(wrapperPackageJson).resolve(
        `@foundry-rs/anvil-${process.platform}-${arch}/bin/${binaryName}`,
      );
      if (existsSync(native)) return { command: native, prefixArgs: [] };
    } catch {
      // platform package missing: fall back to the wrapper
    }
  }
  return { command: process.execPath, prefixArgs: [join(dirname(wrapperPackageJson), 'bin.mjs')] };
}
