import { describe, expect, it } from 'vitest';
import { shellWordsOf as shellWords } from './shell-words.js';

describe('shellWords', () => {
  it('splits like compose does for a shell-form command', () => {
    expect(shellWords('celery -A celery_app beat --loglevel=info')).toEqual(['celery', '-A', 'celery_app', 'beat', '--loglevel=info']);
    expect(shellWords(`sh -c "echo 'a b' && exit 1"`)).toEqual(['sh', '-c', "echo 'a b' && exit 1"]);
    expect(shellWords(`a\\ b 'c d' ""`)).toEqual(['a b', 'c d', '']);
    expect(shellWords('  ')).toEqual([]);
  });
});
