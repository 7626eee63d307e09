/**
 * Ground-truth columns bundled with nas-surgery (method §2). Accuracies are in percent.
 * `cifar10` (200-epoch test accuracy, trained on train+valid, NATS-Bench) is the default; `cifar10-v1.0` is the same
 * quantity from NAS-Bench-201 v1.0, the release the paper's authors used.
 */
export const TRUTH_NAMES = [
  'cifar10',
  'cifar10-v1.0',
  'cifar100',
  'imagenet16',
  'cifar10-valid-hp12',
  'cifar10-hp12',
  'cifar100-valid-hp12',
  'cifar100-hp12',
  'imagenet16-valid-hp12',
  'imagenet16-hp12',
] as const;

export type TruthName = (typeof TRUTH_NAMES)[number];

export const TRUTH_DESCRIPTIONS: Record<TruthName, string> = {
  cifar10: 'CIFAR-10 test accuracy, 200-epoch schedule, trained on train+valid (mean over seeds)',
  'cifar10-v1.0':
    'CIFAR-10 test accuracy, 200-epoch schedule, from NAS-Bench-201 v1.0 (the truth the paper used; fewer seeds)',
  cifar100: 'CIFAR-100 x-test accuracy, 200-epoch schedule',
  imagenet16: 'ImageNet16-120 x-test accuracy, 200-epoch schedule',
  'cifar10-valid-hp12': 'CIFAR-10 x-valid accuracy, 12-epoch schedule (cifar10-valid run, 25k train)',
  'cifar10-hp12': 'CIFAR-10 test accuracy, 12-epoch schedule (cifar10 run)',
  'cifar100-valid-hp12': 'CIFAR-100 x-valid accuracy, 12-epoch schedule',
  'cifar100-hp12': 'CIFAR-100 x-test accuracy, 12-epoch schedule',
  'imagenet16-valid-hp12': 'ImageNet16-120 x-valid accuracy, 12-epoch schedule',
  'imagenet16-hp12': 'ImageNet16-120 x-test accuracy, 12-epoch schedule',
};

export function isTruthName(name: string): name is TruthName {
  return (TRUTH_NAMES as readonly string[]).includes(name);
}
