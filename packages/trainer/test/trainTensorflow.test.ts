/** Every training test of train.test.ts again on the tensorflow backend (libtensorflow), where it is installed. */
import { test } from 'node:test';
import { TENSORFLOW_SKIP, tensorflowInstalled } from './helpers/backends.ts';

if (tensorflowInstalled()) {
  process.env.TRIPLETKIT_TEST_BACKEND = 'tensorflow';
  await import('./train.test.ts');
} else {
  test('training tests on the tensorflow backend', { skip: TENSORFLOW_SKIP }, () => undefined);
}
