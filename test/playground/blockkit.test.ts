import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseJobInstance } from '../../src/dataarts/parse';
import {
  emojify,
  mrkdwn,
  type RenderContext,
  renderBlocks,
  renderFile,
  renderMessageContent,
  renderView,
  textObject,
} from '../../src/playground/blockkit';
import { EMOJI } from '../../src/playground/emoji';
import { DEMO_WORKSPACE } from '../../src/simulator';
import { referenceInstance } from '../../src/simulator/scenarios';
import { renderHome } from '../../src/slack/blocks/home';
import { renderInstanceMessage } from '../../src/slack/blocks/instance-message';
import { renderLookupModal } from '../../src/slack/blocks/lookup-modal';

const ctx: RenderContext = {
  userName: (id) => ({ U0ALICE: 'alice', U0BOT: 'dlf-bot' })[id],
  channelName: (id) => ({ C0GENERAL: 'general' })[id],
  conversations: [
    { id: 'C0GENERAL', label: '#general' },
    { id: 'G0TEAM', label: '🔒 team-private' },
  ],
};

describe('mrkdwn', () => {
  test('bold, italic, strike, inline code and code blocks', () => {
    expect(mrkdwn('*bold* _italic_ ~gone~ `x < y`', ctx)).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <code class="bk-code">x &lt; y</code>',
    );
    expect(mrkdwn('```\nselect *\nfrom t_a_b\n```', ctx)).toBe(
      '<pre class="bk-pre">select *\nfrom t_a_b\n</pre>',
    );
  });

  test('nothing inside code is formatted, and underscores inside words are not italics', () => {
    expect(mrkdwn('`*not bold*` extract_orders_daily *a*', ctx)).toBe(
      '<code class="bk-code">*not bold*</code> extract_orders_daily <b>a</b>',
    );
    expect(mrkdwn('2 * 3 * 4', ctx)).toBe('2 * 3 * 4');
  });

  test('nested emphasis, and emphasis around a link', () => {
    expect(mrkdwn('*_both_*', ctx)).toBe('<b><i>both</i></b>');
    expect(mrkdwn('*<https://example.com/x?a=1&amp;b=2|the docs>*', ctx)).toBe(
      '<b><a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the docs</a></b>',
    );
  });

  test('links: labelled, bare, and unsafe schemes shown as text', () => {
    expect(mrkdwn('<https://example.com>', ctx)).toContain(
      'href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a>',
    );
    expect(mrkdwn('<javascript:alert(1)|click>', ctx)).toBe('&lt;javascript:alert(1)|click&gt;');
    expect(mrkdwn('<mailto:ops@example.com|mail us>', ctx)).toContain('href="mailto:ops@example.com"');
  });

  test('mentions resolve to names; channels and special mentions', () => {
    expect(mrkdwn('hi <@U0ALICE> and <@U0NOBODY|nobody> in <#C0GENERAL> <!here>', ctx)).toBe(
      'hi <span class="bk-mention" data-user="U0ALICE">@alice</span> and ' +
        '<span class="bk-mention" data-user="U0NOBODY">@nobody</span> in ' +
        '<span class="bk-mention bk-channel">#general</span> <span class="bk-mention">@here</span>',
    );
  });

  test('entities are shown as the characters, and raw HTML never gets through', () => {
    expect(mrkdwn('a &lt;b&gt; &amp; c', ctx)).toBe('a &lt;b&gt; &amp; c');
    expect(mrkdwn('<img src=x onerror=alert(1)>', ctx)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(mrkdwn('"quoted" \'single\'', ctx)).toBe('&quot;quoted&quot; &#39;single&#39;');
    expect(mrkdwn('\uE0000\uE001 stays text', ctx)).toBe('0 stays text');
  });

  test('emoji shortcodes become characters; unknown ones stay as written', () => {
    expect(mrkdwn(':white_check_mark: done :not_an_emoji: 10:30:45', ctx)).toBe(
      '<span class="emoji" title=":white_check_mark:">✅</span> done :not_an_emoji: 10:30:45',
    );
  });

  test('bullet lists, with indented lines kept in their item, and quotes', () => {
    expect(mrkdwn('*Failed nodes*\n• *a* (Shell)\n    log: `obs://x`\n• b\nafter', ctx)).toBe(
      '<b>Failed nodes</b><ul class="bk-list"><li><b>a</b> (Shell)\nlog: <code class="bk-code">obs://x</code></li><li>b</li></ul>after',
    );
    expect(mrkdwn('> quoted\n&gt; not a quote', ctx)).toBe(
      '<blockquote class="bk-quote">quoted</blockquote>&gt; not a quote',
    );
  });

  test('date tokens become <time> elements carrying the format, with the fallback shown until the page formats them', () => {
    const html = mrkdwn(
      'Updated <!date^1700000000^{date_short_pretty} at {time}|2023-11-14 22:13:20 UTC>',
      ctx,
    );
    expect(html).toBe(
      'Updated <time class="bk-date" datetime="2023-11-14T22:13:20.000Z" data-ts="1700000000" ' +
        'data-format="{date_short_pretty} at {time}" title="2023-11-14 22:13:20 UTC">2023-11-14 22:13:20 UTC</time>',
    );
    expect(mrkdwn('<!date^1700000000^{date}^https://example.com|fallback>', ctx)).toMatch(
      /^<a href="https:\/\/example.com"[^>]*><time [^>]*>fallback<\/time><\/a>$/,
    );
  });
});

describe('blocks', () => {
  test('header, section with fields, context, divider, image and actions with button styles', () => {
    const html = renderBlocks(
      [
        { type: 'header', text: { type: 'plain_text', text: ':x: job <b> #1', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Hi*' },
          fields: [
            { type: 'mrkdwn', text: '*Status*\nFailed' },
            { type: 'plain_text', text: 'plain *not bold*' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '_small_' }] },
        { type: 'divider' },
        { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'a chart' },
        { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'bad' },
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, style: 'primary' },
            {
              type: 'button',
              action_id: 'stop',
              text: { type: 'plain_text', text: 'Stop' },
              style: 'danger',
            },
            {
              type: 'button',
              action_id: 'open',
              text: { type: 'plain_text', text: 'Open' },
              url: 'https://x.test/',
            },
          ],
        },
        { type: 'mystery' },
      ],
      ctx,
    );
    expect(html).toContain(
      '<div class="bk-block bk-header"><span class="emoji" title=":x:">❌</span> job &lt;b&gt; #1</div>',
    );
    expect(html).toContain('<div class="bk-field"><b>Status</b>\nFailed</div>');
    expect(html).toContain('<div class="bk-field">plain *not bold*</div>');
    expect(html).toContain('<div class="bk-block bk-context"><span><i>small</i></span></div>');
    expect(html).toContain('<hr class="bk-block bk-divider">');
    expect(html).toContain('src="https://example.com/a.png" alt="a chart"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('class="bk-button bk-primary" data-action-id="go" data-block-id="acts"');
    expect(html).toContain('class="bk-button bk-danger" data-action-id="stop"');
    expect(html).toContain('data-url="https://x.test/"');
    expect(html).toContain('[mystery block]');
  });

  test('a message without blocks shows its text as mrkdwn; attachments get their colour bar', () => {
    expect(renderMessageContent({ text: 'hello *there*' }, ctx)).toBe(
      '<div class="bk-block bk-text">hello <b>there</b></div>',
    );
    expect(
      renderMessageContent({ text: 'x', attachments: [{ color: 'danger', text: 'boom' }] }, ctx),
    ).toContain('style="border-left-color:#e01e5a"');
  });

  test('rich_text: styled text, links, mentions, lists and dates', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'bold', style: { bold: true } },
                { type: 'user', user_id: 'U0ALICE' },
                { type: 'date', timestamp: 1700000000, format: '{date}', fallback: 'then' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'one' }] }],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('<b>bold</b>');
    expect(html).toContain('@alice');
    expect(html).toContain('data-format="{date}"');
    expect(html).toContain('<ul class="bk-list"><li>one</li></ul>');
  });

  test('the instance message of the reference instance: both nodes, counts, dates and its buttons', () => {
    const instance = parseJobInstance(referenceInstance());
    const rendered = renderInstanceMessage(instance, { now: 1_700_000_000_000, workspace: DEMO_WORKSPACE });
    const html = renderMessageContent(rendered, ctx);
    expect(html).toContain('job_batch #34765');
    expect(html).toContain('<b>Dummy_8556</b>');
    expect(html).toContain('<b>error</b>');
    expect(html).toContain('data-action-id="instance_subscribe"');
    expect(html).toContain('bk-button bk-primary');
    expect(html).toMatch(/<time class="bk-date"[^>]*data-format="\{date_short_pretty\} at \{time_secs\}"/);
    expect(html).not.toMatch(/:[a-z_]+:<|bk-unsupported/);
  });

  test('the lookup modal: every input with its ids, optional marks, hints, and the conversations to choose', () => {
    const modal = renderLookupModal();
    const view = renderView({ id: 'V1', ...modal, blocks: modal.blocks }, ctx);
    expect(view).toMatchObject({
      id: 'V1',
      type: 'modal',
      title: 'Find a DLF instance',
      submit: 'Show',
      close: 'Cancel',
    });
    expect(view.html).toContain(
      '<input class="bk-text-input" type="text" value="" data-input="1" data-type="plain_text_input" data-block-id="job" data-action-id="job" placeholder="job_batch">',
    );
    expect(view.html).toContain('Instance id <span class="bk-optional">(optional)</span>');
    expect(view.html).toContain('Leave empty (or write latest) for the newest instance.');
    expect(view.html).toMatch(
      /<select class="bk-select" data-input="1" data-type="conversations_select"[^>]*data-default-current="1">/,
    );
    expect(view.html).toContain('<option value="G0TEAM">🔒 team-private</option>');
    expect(view.html).toContain('type="checkbox" name="in_4_follow" value="follow"');
    expect(view.html).toContain('data-error-for="instance"');
  });

  test('the Home tab renders without unsupported parts', () => {
    const home = renderHome();
    expect(renderBlocks(home.blocks, ctx)).not.toContain('bk-unsupported');
  });

  test('plain_text keeps emoji unless told not to', () => {
    expect(textObject({ type: 'plain_text', text: ':bell: x', emoji: false }, ctx)).toBe(':bell: x');
    expect(emojify(':bell:')).toBe('<span class="emoji" title=":bell:">🔔</span>');
  });
});

test('every emoji shortcode the bot writes has a character', () => {
  const root = path.join(__dirname, '..', '..', 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });
  const used = new Set<string>();
  for (const file of [...files(path.join(root, 'slack')), ...files(path.join(root, 'following'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?<=['"`\s]):([a-z][a-z0-9_]*):(?=[\s'"`])/g))
      used.add(match[1]!);
  }
  expect(used.size).toBeGreaterThan(10);
  expect([...used].filter((name) => !EMOJI[name])).toEqual([]);
});

describe('files and image blocks', () => {
  const withFiles: RenderContext = {
    ...ctx,
    fileUrl: (id) => (id === 'F01' ? '/files/F01/timeline.png' : undefined),
  };
  const picture = {
    id: 'F01',
    name: 'timeline.png',
    title: 'Timeline of <job> #1',
    mimetype: 'image/png',
    size: 120_000,
    altText: 'A "Gantt" chart',
    imageSize: { width: 1200, height: 900 },
  };

  test('a shared picture: its title, then the image at its own size, scaled down by CSS', () => {
    expect(renderFile(picture, withFiles)).toBe(
      '<figure class="bk-file bk-file-image"><div class="bk-file-title">Timeline of &lt;job&gt; #1</div>' +
        '<a href="/files/F01/timeline.png" target="_blank" rel="noopener noreferrer"><img src="/files/F01/timeline.png" ' +
        'alt="A &quot;Gantt&quot; chart" title="A &quot;Gantt&quot; chart" width="1200" height="900"></a></figure>',
    );
  });

  test('another file is a card with its kind and size; a file the page cannot serve has no link', () => {
    const csv = {
      ...picture,
      id: 'F02',
      name: 'nodes.csv',
      title: 'nodes.csv',
      mimetype: 'text/csv',
      size: 2048,
    };
    expect(renderFile(csv, withFiles)).toBe(
      '<a class="bk-file bk-file-card"><span class="bk-file-icon">CSV</span><span><div class="bk-file-title">nodes.csv</div>' +
        '<span class="bk-file-meta">CSV · 2 KB</span></span></a>',
    );
  });

  test('the message text comes first, then its files', () => {
    const html = renderMessageContent({ text: 'The run', files: [picture] }, withFiles);
    expect(html.indexOf('The run')).toBeLessThan(html.indexOf('bk-file-image'));
  });

  test('image blocks: by URL, or by slack_file id or url_private; other schemes are dropped', () => {
    const block = (image: Record<string, unknown>) =>
      renderBlocks([{ type: 'image', alt_text: 'x', ...image }], withFiles);
    expect(block({ image_url: 'https://example.com/a.png' })).toContain('src="https://example.com/a.png"');
    expect(block({ slack_file: { id: 'F01' } })).toContain('src="/files/F01/timeline.png"');
    expect(
      block({ slack_file: { url: 'http://127.0.0.1:9/files-pri/T0STANDIN-F01/timeline.png' } }),
    ).toContain('src="/files/F01/timeline.png"');
    expect(block({ image_url: 'javascript:alert(1)' })).toContain('bk-missing-image');
    expect(block({ slack_file: { id: 'F99' } })).toContain('bk-missing-image');
  });
});
