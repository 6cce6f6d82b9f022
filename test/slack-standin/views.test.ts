import type { HomeView, ModalView } from '@slack/types';
import { type Setup, section, slackError, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

function modal(title: string, extra: Partial<ModalView> = {}): ModalView {
  return { type: 'modal', title: { type: 'plain_text', text: title }, blocks: [section(title)], ...extra };
}

describe('modals', () => {
  test('views.open needs a fresh trigger_id: once, within 3 seconds, for the person it was minted for', async () => {
    const trigger = s.standin.mintTrigger('U0ALICE');
    const opened = await s.client.views.open({
      trigger_id: trigger,
      view: modal('Nodes', { callback_id: 'nodes' }),
    });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'nodes',
      team_id: 'T0STANDIN',
      app_id: 'A0DLFBOT',
    });
    expect(opened.view?.id).toMatch(/^V\w+$/);
    expect(opened.view?.hash).toEqual(expect.any(String));
    expect(s.standin.views('U0ALICE').map((v) => v.id)).toEqual([opened.view?.id]);
    expect(s.standin.views('U0BOB')).toEqual([]);

    expect((await slackError(s.client.views.open({ trigger_id: trigger, view: modal('Again') }))).error).toBe(
      'exchanged_trigger_id',
    );
    const late = s.standin.mintTrigger('U0ALICE');
    s.advance(3_001);
    expect((await slackError(s.client.views.open({ trigger_id: late, view: modal('Late') }))).error).toBe(
      'expired_trigger_id',
    );
    expect(
      (await slackError(s.client.views.open({ trigger_id: '1.2.3', view: modal('Made up') }))).error,
    ).toBe('invalid_trigger_id');
  });

  test('the trigger lifetime is a setting', async () => {
    const slow = await startSetup({ triggerTtlMs: 60_000 });
    try {
      const trigger = slow.standin.mintTrigger('U0ALICE');
      slow.advance(10_000);
      expect((await slow.client.views.open({ trigger_id: trigger, view: modal('Slow') })).ok).toBe(true);
    } finally {
      await slow.close();
    }
  });

  test('views.update by id or external_id: same id, new hash; a stale hash is a conflict', async () => {
    const opened = await s.client.views.open({
      trigger_id: s.standin.mintTrigger('U0ALICE'),
      view: modal('Loading', { external_id: 'lookup-1' }),
    });
    const id = opened.view!.id!;
    const first = await s.client.views.update({
      view_id: id,
      hash: opened.view!.hash,
      view: modal('Page 1'),
    });
    expect(first.view).toMatchObject({ id, title: { text: 'Page 1' } });
    expect(first.view?.hash).not.toBe(opened.view?.hash);
    expect(
      (
        await slackError(
          s.client.views.update({ view_id: id, hash: opened.view!.hash, view: modal('Page 2') }),
        )
      ).error,
    ).toBe('hash_conflict');
    await s.client.views.update({ external_id: 'lookup-1', view: modal('Page 3') });
    expect(s.standin.view(id)).toMatchObject({ title: { text: 'Page 3' } });
    expect((await slackError(s.client.views.update({ view_id: 'V404', view: modal('x') }))).error).toBe(
      'not_found',
    );
  });

  test('views.push stacks at most three modals', async () => {
    await s.client.views.open({ trigger_id: s.standin.mintTrigger('U0ALICE'), view: modal('One') });
    await s.client.views.push({ trigger_id: s.standin.mintTrigger('U0ALICE'), view: modal('Two') });
    const third = await s.client.views.push({
      trigger_id: s.standin.mintTrigger('U0ALICE'),
      view: modal('Three'),
    });
    const [root] = s.standin.views('U0ALICE');
    expect(third.view).toMatchObject({ root_view_id: root?.id, previous_view_id: expect.any(String) });
    expect(
      (
        await slackError(
          s.client.views.push({ trigger_id: s.standin.mintTrigger('U0ALICE'), view: modal('Four') }),
        )
      ).error,
    ).toBe('push_limit_reached');
    expect(s.standin.views('U0ALICE').map((v) => (v.title as { text: string }).text)).toEqual([
      'One',
      'Two',
      'Three',
    ]);
  });

  test('modal limits: a title over 24 characters, input blocks without submit', async () => {
    const refused = await s.client.views
      .open({ trigger_id: s.standin.mintTrigger('U0ALICE'), view: modal('A title that is far too long') })
      .catch((e) => e.data);
    expect(refused).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: {
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      },
    });
    const input = {
      type: 'input',
      block_id: 'job',
      label: { type: 'plain_text', text: 'Job' },
      element: { type: 'plain_text_input', action_id: 'job' },
    } as const;
    expect(
      (
        await slackError(
          s.client.views.open({
            trigger_id: s.standin.mintTrigger('U0ALICE'),
            view: modal('Find', { blocks: [input] }),
          }),
        )
      ).error,
    ).toBe('invalid_arguments');
    expect(s.standin.views('U0ALICE')).toEqual([]);
  });
});

describe('Home tab', () => {
  test('views.publish keeps one Home per person, with a stable id', async () => {
    const home: HomeView = { type: 'home', blocks: [section('You follow nothing yet')] };
    const first = await s.client.views.publish({ user_id: 'U0ALICE', view: home });
    const again = await s.client.views.publish({
      user_id: 'U0ALICE',
      view: { ...home, blocks: [section('You follow 1')] },
    });
    expect(again.view?.id).toBe(first.view?.id);
    expect(s.standin.home('U0ALICE')?.blocks).toEqual([section('You follow 1')]);
    expect(s.standin.home('U0BOB')).toBeUndefined();
    expect((await slackError(s.client.views.publish({ user_id: 'U0NOBODY', view: home }))).error).toBe(
      'user_not_found',
    );
    expect(
      (await slackError(s.client.views.publish({ user_id: 'U0ALICE', hash: 'stale', view: home }))).error,
    ).toBe('hash_conflict');
  });
});
