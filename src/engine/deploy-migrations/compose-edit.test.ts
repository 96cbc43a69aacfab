import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ComposeDocument, imageWithTag } from './compose-edit.js';
import { glowwormCompose } from './glowworm-stack.fixture.js';

/** Lines of `after` that are not in `before` and vice versa (a cheap line diff for assertions). */
function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe('ComposeDocument', () => {
  const source = glowwormCompose();

  it('gives the file back byte for byte when nothing is edited', () => {
    expect(ComposeDocument.parse(source).toString()).toBe(source);
  });

  it('adds an environment variable to a mapping with only that line and its note changing', () => {
    const compose = ComposeDocument.parse(source);
    compose.setServiceEnv('glowworm-backend', 'DISPLAY_SIGNING_KEY', '${DISPLAY_SIGNING_KEY}', { addedBy: '001-x' });
    const edited = compose.toString();
    // The whitespace-only line inside the environment, the flow-style healthchecks and every comment survive.
    expect(changedLines(source, edited)).toEqual({
      added: ['      # added by glowworm deployment migration 001-x', '      DISPLAY_SIGNING_KEY: ${DISPLAY_SIGNING_KEY}'],
      removed: [],
    });
    expect(edited).toContain('      \n      # Application settings');
    const reread = ComposeDocument.parse(edited);
    expect(reread.serviceEnv('glowworm-backend')['DISPLAY_SIGNING_KEY']).toBe('${DISPLAY_SIGNING_KEY}');
    expect(reread.isAddedBy('001-x', 'glowworm-backend', 'DISPLAY_SIGNING_KEY')).toBe(true);
    expect(reread.isAddedBy('001-x', 'glowworm-backend', 'SECRET_KEY')).toBe(false);
    expect(reread.isAddedBy('002-y', 'glowworm-backend', 'DISPLAY_SIGNING_KEY')).toBe(false);
  });

  it('edits a KEY=value list environment in its own form and removes what it added', () => {
    const compose = ComposeDocument.parse(source);
    compose.setServiceEnv('glowworm-frontend', 'VITE_BACKEND_URL', 'http://t1-glowworm-backend:8001');
    compose.setServiceEnv('glowworm-frontend', 'TZ', 'UTC', { addedBy: '003-z' });
    const edited = ComposeDocument.parse(compose.toString());
    expect(parse(edited.toString()).services['glowworm-frontend'].environment).toEqual([
      'VITE_BACKEND_URL=http://t1-glowworm-backend:8001',
      'TZ=UTC',
    ]);
    expect(edited.isAddedBy('003-z', 'glowworm-frontend', 'TZ')).toBe(true);
    expect(edited.removeServiceEnv('glowworm-frontend', 'TZ')).toBe(true);
    expect(edited.removeServiceEnv('glowworm-frontend', 'TZ')).toBe(false);
    edited.setServiceEnv('glowworm-frontend', 'VITE_BACKEND_URL', 'http://glowworm-backend:8001');
    expect(edited.toString()).toBe(source);
  });

  it('adds a service after a given one, with a blank line and its note, and removes it again', () => {
    const compose = ComposeDocument.parse(source);
    compose.addService('glowworm-scheduler', { image: 'x:1', command: 'celery -A celery_app beat', networks: ['glowworm-network'] }, {
      after: 'glowworm-backend',
      addedBy: '002-y',
    });
    const edited = compose.toString();
    expect(edited).toContain(
      '      start_period: 40s\n\n  # added by glowworm deployment migration 002-y\n  glowworm-scheduler:\n    image: x:1\n',
    );
    expect(ComposeDocument.parse(edited).serviceNames()).toEqual([
      'glowworm-mysql', 'glowworm-redis', 'glowworm-backend', 'glowworm-scheduler', 'glowworm-frontend', 'glowworm-celery-worker',
    ]);
    const reread = ComposeDocument.parse(edited);
    expect(reread.isAddedBy('002-y', 'glowworm-scheduler')).toBe(true);
    expect(reread.isAddedBy('002-y', 'glowworm-frontend')).toBe(false);
    expect(() => reread.addService('glowworm-scheduler', {})).toThrow(/already has a service "glowworm-scheduler"/);
    reread.removeService('glowworm-scheduler');
    expect(reread.toString()).toBe(source);
  });

  it('retags an image keeping its quotes, registry port and dropping a digest', () => {
    expect(imageWithTag('127.0.0.1:5000/glowworm/backend:1.1.0', '2.0.0')).toBe('127.0.0.1:5000/glowworm/backend:2.0.0');
    expect(imageWithTag('127.0.0.1:5000/glowworm/backend', '2.0.0')).toBe('127.0.0.1:5000/glowworm/backend:2.0.0');
    expect(imageWithTag('glowworm/backend:1.1.0@sha256:abcd', '2.0.0')).toBe('glowworm/backend:2.0.0');
    const compose = ComposeDocument.parse(source);
    compose.setImageTag('glowworm-backend', '2.0.0');
    compose.setImageTag('glowworm-frontend', '2.0.0');
    expect(changedLines(source, compose.toString())).toEqual({
      added: ['    image: "nickstephens/glowworm-backend:2.0.0"', '    image: nickstephens/glowworm-frontend:2.0.0'],
      removed: ['    image: nickstephens/glowworm-frontend:test'],
    });
    expect(() => compose.setImageTag('nope', '1')).toThrow(/no service "nope"/);
  });

  it('writes a healthcheck test in flow style', () => {
    const compose = ComposeDocument.parse(source);
    compose.addHealthcheck('glowworm-celery-worker', { test: ['CMD', 'celery', 'inspect', 'ping'], interval: '30s', retries: 3 });
    expect(compose.toString()).toContain('    healthcheck:\n      test: ["CMD", "celery", "inspect", "ping"]\n      interval: 30s\n      retries: 3\n');
  });

  it('renames a volume and its mounts, pinning the Docker volume so the data stays', () => {
    const compose = ComposeDocument.parse(source);
    compose.renameVolume('mysql_data', 'glowworm_db', { pinDockerName: 'glowworm_mysql_data' });
    const tree = parse(compose.toString());
    expect(tree.volumes.glowworm_db).toEqual({ driver: 'local', name: 'glowworm_mysql_data' });
    expect(tree.volumes.mysql_data).toBeUndefined();
    expect(tree.services['glowworm-mysql'].volumes).toEqual(['glowworm_db:/var/lib/mysql']);
    expect(() => compose.renameVolume('nope', 'x')).toThrow(/no top-level volume "nope"/);
  });

  it('keeps a file with unindented sequences and CRLF line ends as it is written', () => {
    const crlf = 'services:\r\n  app:\r\n    image: a:1\r\n    ports:\r\n    - "80:80"\r\n';
    const compose = ComposeDocument.parse(crlf);
    compose.setImageTag('app', '2');
    expect(compose.toString()).toBe('services:\r\n  app:\r\n    image: a:2\r\n    ports:\r\n    - "80:80"\r\n');
  });

  it('keeps a comment at the end of the file where it was', () => {
    const withTrailer = `${source}# glowworm-celery-beat: merged into the worker in 1.0\n`;
    const compose = ComposeDocument.parse(withTrailer);
    compose.setImageTag('glowworm-frontend', '2.0.0');
    expect(compose.toString()).toBe(withTrailer.replace('glowworm-frontend:test', 'glowworm-frontend:2.0.0'));
  });

  it('finds its "added by" note on the first item of a map or list it created, once the file is read again', () => {
    // yaml hangs a comment above a collection's first item on the collection itself: the note must still count.
    const source = 'services:\n  web:\n    image: nginx:1\n';
    const compose = ComposeDocument.parse(source);
    compose.setServiceEnv('web', 'VITE_BACKEND_URL', 'http://api:8001', { addedBy: '004-x' });
    compose.addListItem('web', 'volumes', './data:/data', { addedBy: '007-x' });
    compose.setDependsOn('web', 'api', 'service_started', { addedBy: '002-x' });
    compose.addTopLevelVolume('redis_data', { addedBy: '001-x' });
    const reread = ComposeDocument.parse(compose.toString());
    expect(reread.toString()).toBe(compose.toString());
    expect(reread.isAddedBy('004-x', 'web', 'VITE_BACKEND_URL')).toBe(true);
    expect(reread.removeServiceEnv('web', 'VITE_BACKEND_URL')).toBe(true);
    expect(reread.removeListItemsAddedBy('web', 'volumes', '007-x')).toBe(1);
    expect(reread.removeDependsOnAddedBy('web', 'api', '002-x')).toBe(true);
    expect(reread.removeTopLevelVolumeAddedBy('redis_data', '001-x')).toBe(true);
    // The notes go with what they were about, and so do the maps the removals left empty.
    expect(reread.toString()).toBe(source);
  });

  it('removes a list-form variable on a file read afresh, and the list with its last item', () => {
    const source = 'services:\n  web:\n    image: nginx:1\n    environment:\n      - A=1\n      - B=2\n';
    const compose = ComposeDocument.parse(source);
    expect(compose.removeServiceEnv('web', 'B')).toBe(true);
    expect(compose.toString()).toBe('services:\n  web:\n    image: nginx:1\n    environment:\n      - A=1\n');
    expect(compose.removeServiceEnv('web', 'A')).toBe(true);
    expect(compose.toString()).toBe('services:\n  web:\n    image: nginx:1\n');
    expect(compose.removeServiceEnv('web', 'A')).toBe(false);
  });

  it('puts back what it removed, with the receipt on the first key of a service', () => {
    const source = 'services:\n  api:\n    ports:\n      - "8001:8001"\n    image: b:1\n';
    const compose = ComposeDocument.parse(source);
    expect(compose.removeListItems('api', 'ports', (item) => item === '8001:8001', { removedBy: '005-x' })).toEqual(['8001:8001']);
    const edited = compose.toString();
    expect(edited).toBe('services:\n  api:\n    # removed by glowworm deployment migration 005-x: ports: ["8001:8001"]\n    image: b:1\n');
    const reread = ComposeDocument.parse(edited);
    expect(reread.restoreRemoved('api', '005-x')).toEqual(['8001:8001']);
    expect(reread.listItems('api', 'ports')).toEqual(['8001:8001']);
    expect(reread.toString()).not.toContain('removed by');
  });

  it('refuses a file that is not YAML or has no services', () => {
    expect(() => ComposeDocument.parse('services: [\n', 'bad.yml')).toThrow(/bad\.yml/);
    expect(() => ComposeDocument.parse('volumes: {}\n', 'x.yml')).toThrow(/x\.yml has no "services:" mapping/);
  });
});
