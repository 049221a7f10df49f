/** `kustomize build` of every folder, with the real pinned kustomize. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const kustomizeRules: Rule[] = [
  {
    id: 'kustomize/build',
    rationale:
      'kustomize-controller builds each path exactly like this; a folder that does not build never reconciles.',
    check: (context) => {
      const findings: Finding[] = [];
      const folders = context.clusters.flatMap((c) => c.folders);
      if (!context.kustomize) {
        return folders.length === 0
          ? []
          : [
              {
                severity: 'ERROR',
                rule: 'kustomize/build',
                file: folders[0]!,
                object: '-',
                message: 'kustomize is not installed',
                fix: 'run scripts/install-tools.sh',
              },
            ];
      }
      for (const folder of folders) {
        const result = spawnSync(context.kustomize, ['build', path.join(context.root, folder)], { encoding: 'utf8' });
        if (result.status !== 0) {
          const reason = (result.stderr || result.error?.message || 'failed').trim().split('\n')[0]!;
          findings.push({
            severity: 'ERROR',
            rule: 'kustomize/build',
            file: `${folder}/kustomization.yaml`,
            object: '-',
            message: `kustomize build fails: ${reason}`,
            fix: 'list only existing files in kustomization.yaml (re-synthesize)',
          });
        }
      }
      return findings;
    },
  },
];
