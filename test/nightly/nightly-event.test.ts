/** The nightly event and the DEEPSET_WORKSPACES fallback: what runs, and what is refused. */
import { describe, expect, it } from 'vitest';
import { InvalidNightlyEventError, workspacesFor } from '../../functions/nightly/nightly-event';

describe('workspacesFor', () => {
  it('takes the event list, in order and without duplicates', () => {
    expect(workspacesFor({ workspaces: ['b', 'a', 'b'] }, ['env-ws'])).toEqual(['b', 'a']);
  });

  it('falls back to DEEPSET_WORKSPACES without an event list (absent, empty, or no event at all)', () => {
    for (const event of [{}, { workspaces: [] }, null, undefined, { source: 'aws.scheduler', detail: {} }]) {
      expect(workspacesFor(event, ['acme', 'beta'])).toEqual(['acme', 'beta']);
    }
  });

  it('fails clearly when there is no workspace at all', () => {
    expect(() => workspacesFor({}, [])).toThrow(
      /no workspaces to report on: pass \{"workspaces": \[\.\.\.\]\} in the event or set DEEPSET_WORKSPACES/,
    );
  });

  it.each([
    ['a string', { workspaces: 'acme' }],
    ['numbers', { workspaces: [1, 2] }],
    ['not an object', 'acme'],
    ['an array', ['acme']],
  ])('refuses an event whose workspaces are %s', (_, event) => {
    expect(() => workspacesFor(event, ['fallback'])).toThrow(InvalidNightlyEventError);
    expect(() => workspacesFor(event, ['fallback'])).toThrow(/invalid nightly event/);
  });

  it.each([['../etc'], ['a/b'], ['a%2Fb'], [''], [' acme'], ['x'.repeat(129)], ['-lead']])(
    'refuses the workspace name %j and says where it came from',
    (name) => {
      expect(() => workspacesFor({ workspaces: ['good', name] }, [])).toThrow(
        /in the event: invalid workspace name/,
      );
      expect(() => workspacesFor({}, [name])).toThrow(/in DEEPSET_WORKSPACES: invalid workspace name/);
    },
  );

  it('names every bad workspace at once', () => {
    expect(() => workspacesFor({ workspaces: ['a/b', 'ok', '..'] }, [])).toThrow(/"a\/b".*"\.\."/);
  });
});
