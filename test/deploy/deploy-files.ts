/**
 * The container and Kubernetes files as the deploy tests read them, and the facts they are checked against:
 * the settings the README documents, which settings are secret, what a placeholder looks like.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser, From, type Instruction } from 'dockerfile-ast';
import { loadAll, YAML11_SCHEMA } from 'js-yaml';

export const ROOT = path.join(__dirname, '..', '..');
export const KUBERNETES_DIR = 'deploy/kubernetes';

export function readRepoFile(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

/** The value every setting an operator must fill in holds in the committed files. */
export const PLACEHOLDER = 'REPLACE_ME';

/** Settings whose values are secrets: only in a Secret or an env file, never in an image or a ConfigMap. */
export function isSecretSetting(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD/.test(name) || name === 'DLF_AK' || name === 'DLF_SK';
}

/** How long the bot may take to stop after SIGTERM. */
export const STOP_BUDGET_SECONDS = 10;

/** Every variable named in the first column of a table under the README's "Configuration" heading. */
export function documentedSettings(readme = readRepoFile('README.md')): Set<string> {
  const start = readme.indexOf('\n## Configuration\n');
  if (start < 0) throw new Error('README.md has no "## Configuration" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const firstCell = line.startsWith('|') ? line.split('|')[1] : undefined;
    for (const match of firstCell?.matchAll(/`([A-Z][A-Z0-9_]*)`/g) ?? []) names.add(match[1]!);
  }
  return names;
}

/** `KEY=value` lines of an env file; commented-out lines are not settings. */
export function envFileEntries(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 1) throw new Error(`not a KEY=value line: ${line}`);
      return [line.slice(0, at), line.slice(at + 1)];
    });
}

/** A compose duration such as `20s`, `1m30s` or `1500ms`, in seconds. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.map((part) => part[0]).join('') !== duration) throw new Error(`not a duration: ${duration}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit!]!, 0);
}

export interface ManifestDocument {
  file: string;
  doc: { apiVersion: string; kind: string; metadata?: { name?: string } };
}

/**
 * Every object in deploy/kubernetes (kustomization.yaml aside), read as YAML 1.1 like kubectl's parser, so
 * an unquoted `yes` or `on` turns into the boolean Kubernetes would see.
 */
export function kubernetesDocuments(): ManifestDocument[] {
  return readdirSync(path.join(ROOT, KUBERNETES_DIR))
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .sort()
    .flatMap((file) =>
      loadAll(readRepoFile(`${KUBERNETES_DIR}/${file}`), { schema: YAML11_SCHEMA }).map((doc) => ({
        file,
        doc: doc as ManifestDocument['doc'],
      })),
    );
}

export interface DockerfileStage {
  from: From;
  /** The stage's name (`AS build`), if any. */
  name?: string;
  /** Every instruction after its FROM, up to the next. */
  instructions: Instruction[];
}

export function dockerfileStages(text = readRepoFile('Dockerfile')): DockerfileStage[] {
  const stages: DockerfileStage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction instanceof From) {
      stages.push({ from: instruction, name: instruction.getBuildStage() ?? undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${instruction.getKeyword()} before the first FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

/** A stage's instructions of one kind, e.g. `ofKind(stage, Copy)`. */
export function ofKind<T extends Instruction>(
  stage: DockerfileStage,
  kind: abstract new (...args: never[]) => T,
): T[] {
  return stage.instructions.filter((instruction): instruction is T => instruction instanceof kind);
}
