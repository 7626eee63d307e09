import type { Command } from 'commander';
import { packageInfo } from '../io/manifest.js';
import { printJson } from './output.js';

/** `nas-surgery doctor [--json]`: which engines and services this machine has, and how to add the missing ones. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'what this machine can run: Node, each engine (torch, wasm, cpu, webgpu), the Python peers of the ' +
        'benchmarks (PyTorch, scipy), the CIFAR-10 folder, SLURM and Chromium, with the command that adds each ' +
        'missing part; exits 0 when optional parts are missing',
    )
    .option(
      '--data <dir>',
      'CIFAR-10 folder to check (default: $NAS_SURGERY_CIFAR10 or ~/.cache/nas-surgery/cifar10)',
    )
    .option(
      '--json',
      'print the checks as JSON (a stable shape: {tool, version, checks: [{id, purpose, status, detail, fix?, info}]})',
    )
    .action(async (f: { data?: string; json?: boolean }) => {
      const { runChecks } = await import('../doctor/probes.js');
      const { defaultCifar10Dir } = await import('../data/locations.js');
      const checks = await runChecks({ cifar10Dir: f.data ?? defaultCifar10Dir() });
      if (f.json) {
        printJson({ tool: 'nas-surgery', version: packageInfo().version, checks });
        return;
      }
      const mark = { ok: '✓', missing: '·', error: '✗' } as const;
      const width = Math.max(...checks.map((c) => c.id.length));
      for (const c of checks) {
        console.log(`${mark[c.status]} ${c.id.padEnd(width)}  ${c.detail}`);
        if (c.status !== 'ok') {
          console.log(`  ${' '.repeat(width)}  for: ${c.purpose}`);
          if (c.fix) console.log(`  ${' '.repeat(width)}  fix: ${c.fix}`);
        }
      }
      const missing = checks.filter((c) => c.status !== 'ok').length;
      console.log(
        missing === 0
          ? '\neverything is here'
          : `\n${missing} part(s) missing or failing; the rest works without them`,
      );
    });
}
