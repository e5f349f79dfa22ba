// Fashion-MNIST (Zalando, MIT license): MNIST's format and sizes, ten clothing classes. Node-only.
import { type ImageSet, type ImageSetOptions, loadIdxImageSet } from './mnist.js';

/**
 * Fashion-MNIST: 60,000 training and 10,000 test images of clothing, 28x28 grayscale, 10 classes.
 * `await fashionMnist.load()` reads the four gzip IDX files from `dir`, else
 * `$NABLA_DATA/fashion-mnist` (else `../shared/data/fashion-mnist`), else the cache, else downloads
 * them (see locate.ts); same tensors as mnist.load().
 */
export const fashionMnist = {
  name: 'fashion-mnist',
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as readonly string[],
  load(options: ImageSetOptions = {}): Promise<ImageSet> {
    return loadIdxImageSet('fashion-mnist', fashionMnist.classNames, options);
  },
};
