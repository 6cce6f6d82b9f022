/**
 * deploy/kubernetes, checked without a cluster: every object against the official Kubernetes OpenAPI schemas
 * (kubernetes-models), then what those schemas cannot say: probes on the paths and port the bot serves, a
 * grace period above the stop budget, a non-root read-only container, settings from the ConfigMap and the
 * Secret, and only placeholders in the Secret. The schemas let unknown fields through (the API server rejects
 * them only at apply time), so every field the bot relies on is read here by its exact path: a misspelt
 * `livenesProbe` fails the probe test.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, type IContainerPort, type IProbe, Secret, Service } from 'kubernetes-models/v1';
import { type Harness, startHarness } from '../helpers/bot';
import {
  documentedSettings,
  isSecretSetting,
  KUBERNETES_DIR,
  kubernetesDocuments,
  PLACEHOLDER,
  ROOT,
  readRepoFile,
  STOP_BUDGET_SECONDS,
} from './deploy-files';

/** The kinds deploy/kubernetes may hold, each with its model from the official OpenAPI schemas. */
const MODELS = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

type Kind = keyof typeof MODELS;

const documents = kubernetesDocuments();

function schemaErrors(doc: { apiVersion: string; kind: string }): string[] {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}` as Kind];
  if (!Model) return [`no schema for ${doc.apiVersion} ${doc.kind}: add its model to MODELS`];
  try {
    // The models take any object of their kind and check it when asked.
    new Model(doc as never).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function only<K extends Kind>(key: K): InstanceType<(typeof MODELS)[K]> {
  const found = documents.filter(({ doc }) => `${doc.apiVersion}/${doc.kind}` === key);
  if (found.length !== 1) throw new Error(`expected one ${key} in ${KUBERNETES_DIR}, found ${found.length}`);
  return new MODELS[key](found[0]!.doc as never) as InstanceType<(typeof MODELS)[K]>;
}

const deployment = only('apps/v1/Deployment');
const configMap = only('v1/ConfigMap');
const secret = only('v1/Secret');
const service = only('v1/Service');
const budget = only('policy/v1/PodDisruptionBudget');
const ingress = only('networking.k8s.io/v1/Ingress');
const pod = deployment.spec!.template.spec!;
const [container] = pod.containers;
const podLabels = deployment.spec!.template.metadata!.labels!;

/** The container port a probe, a Service or an Ingress names, by name or by number. */
function containerPort(port: string | number | undefined): IContainerPort | undefined {
  return container!.ports?.find((p) => p.name === port || p.containerPort === port);
}

function httpProbe(probe: IProbe | undefined): { path?: string; port?: number } {
  return { path: probe?.httpGet?.path, port: containerPort(probe?.httpGet?.port)?.containerPort };
}

/** The port the bot listens on: PORT from the ConfigMap, or the bot's default. */
const botPort = Number(configMap.data?.PORT ?? 3000);

describe('deploy/kubernetes', () => {
  test.each(documents.map(({ file, doc }) => [file, doc.kind, doc] as const))(
    '%s: the %s is valid against the Kubernetes schemas',
    (_file, _kind, doc) => {
      expect(schemaErrors(doc)).toEqual([]);
    },
  );

  test('the schemas reject what the API server rejects', () => {
    const broken = structuredClone(
      documents.find(({ doc }) => doc.kind === 'Deployment')!.doc,
    ) as IDeployment;
    broken.spec!.replicas = '3' as unknown as number;
    expect(schemaErrors(broken)).toEqual([expect.stringContaining('replicas must be integer')]);
    const unknownKind = { apiVersion: 'v1', kind: 'Pod' };
    expect(schemaErrors(unknownKind)).toEqual([expect.stringContaining('no schema for v1 Pod')]);
  });

  test('kustomization.yaml lists every manifest but the examples, and names the Deployment’s image', () => {
    const kustomization = load(readRepoFile(`${KUBERNETES_DIR}/kustomization.yaml`)) as {
      resources: string[];
      images: { name: string }[];
    };
    const files = [...new Set(documents.map(({ file }) => file))];
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((file) => !file.endsWith('.example.yaml')),
    );
    for (const file of kustomization.resources)
      expect(existsSync(path.join(ROOT, KUBERNETES_DIR, file))).toBe(true);
    expect(files.filter((file) => file.endsWith('.example.yaml'))).toEqual([
      'ingress.example.yaml',
      'secret.example.yaml',
    ]);
    expect(kustomization.images.map((image) => image.name)).toEqual([container!.image]);
  });
});

describe('the Deployment', () => {
  test('runs three bots, one container each, on the port the bot is told', () => {
    expect(deployment.spec!.replicas).toBe(3);
    expect(deployment.spec!.selector.matchLabels).toEqual(podLabels);
    expect(pod.containers).toHaveLength(1);
    expect(container!.ports).toEqual([{ name: 'http', containerPort: botPort }]);
    // The image's default PORT and EXPOSE, so a ConfigMap without PORT still matches.
    expect(readRepoFile('Dockerfile')).toMatch(new RegExp(`^EXPOSE ${botPort}$`, 'm'));
  });

  test('readiness asks /healthz (Redis and Slack reachable), liveness /livez (the process alive)', () => {
    expect(httpProbe(container!.readinessProbe)).toEqual({ path: '/healthz', port: botPort });
    expect(httpProbe(container!.livenessProbe)).toEqual({ path: '/livez', port: botPort });
  });

  test('a stop gets the preStop drain plus the bot’s stop budget before SIGKILL', () => {
    const command = container!.lifecycle?.preStop?.exec?.command ?? [];
    expect(command[0]).toBe('sleep');
    const drainSeconds = Number(command[1]);
    expect(drainSeconds).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds + STOP_BUDGET_SECONDS);
  });

  test('asks for resources and caps memory', () => {
    expect(container!.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container!.resources?.limits?.memory).toEqual(expect.any(String));
  });

  test('runs as the image’s non-root user, read-only, without capabilities or privilege escalation', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(readRepoFile('Dockerfile')).toMatch(/^USER 1000:1000$/m);
    expect(container!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // A writable /tmp for anything that wants a scratch file.
    const tmp = container!.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  test('takes every setting from the ConfigMap and the Secret', () => {
    expect(container!.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata!.name } },
      { secretRef: { name: secret.metadata!.name } },
    ]);
    expect(container!.env).toBeUndefined();
  });
});

describe('settings', () => {
  test('the ConfigMap and the Secret hold only settings the README documents', () => {
    const documented = documentedSettings();
    const names = [...Object.keys(configMap.data ?? {}), ...Object.keys(secret.stringData ?? {})];
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  test('secrets are in the Secret, everything else in the ConfigMap', () => {
    expect(Object.keys(configMap.data ?? {}).filter(isSecretSetting)).toEqual([]);
    const secretNames = Object.keys(secret.stringData ?? {});
    expect(secretNames.filter((name) => !isSecretSetting(name))).toEqual([]);
    expect(secretNames).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'DLF_AK', 'DLF_SK']));
    expect(secret.data).toBeUndefined();
  });

  test('the Secret example holds placeholders only', () => {
    for (const [name, value] of Object.entries(secret.stringData ?? {})) {
      expect({ name, value }).toEqual({ name, value: PLACEHOLDER });
    }
  });
});

describe('the Service, the disruption budget and the Ingress', () => {
  test('the Service reaches the bots’ HTTP port', () => {
    expect(service.spec!.selector).toEqual(podLabels);
    expect(service.spec!.ports!.map((port) => containerPort(port.targetPort)?.containerPort)).toEqual([
      botPort,
    ]);
  });

  test('voluntary disruptions take one bot at a time', () => {
    expect(budget.spec!.selector!.matchLabels).toEqual(podLabels);
    const { maxUnavailable, minAvailable } = budget.spec!;
    expect(maxUnavailable === 1 || (typeof minAvailable === 'number' && minAvailable >= 2)).toBe(true);
  });

  test('the Ingress (HTTP mode) sends only /slack/events to the Service', () => {
    const paths = ingress.spec!.rules!.flatMap((rule) => rule.http!.paths);
    expect(paths.map((p) => [p.path, p.pathType])).toEqual([['/slack/events', 'Exact']]);
    const backend = paths[0]!.backend.service!;
    expect(backend.name).toBe(service.metadata!.name);
    expect(service.spec!.ports!.map((port) => port.name)).toContain(backend.port!.name);
  });
});

describe('the bot', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  test('answers the readiness and liveness probes’ paths on its port', async () => {
    const { path: readyPath } = httpProbe(container!.readinessProbe);
    const { path: livePath } = httpProbe(container!.livenessProbe);
    expect((await fetch(`http://127.0.0.1:${harness.bot.port}${readyPath}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${harness.bot.port}${livePath}`)).status).toBe(200);
  });
});
