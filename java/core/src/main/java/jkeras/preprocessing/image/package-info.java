/**
 * Keras' image preprocessing (keras_preprocessing 1.1.2, as Keras 2.3.1 uses it): {@link
 * jkeras.preprocessing.image.ImageDataGenerator} and the Sequences it returns, {@link
 * jkeras.preprocessing.image.NumpyArrayIterator} ({@code flow}) and {@link
 * jkeras.preprocessing.image.DirectoryIterator} ({@code flow_from_directory}); the pixel operations
 * of {@code affine_transformations.py} in {@link jkeras.preprocessing.image.AffineTransformations};
 * {@code load_img} in {@link jkeras.preprocessing.image.ImageUtils}. Seeded runs reproduce Keras'
 * index orders and transform parameters bit for bit (numpy's legacy MT19937 in {@link
 * jkeras.utils.LegacyRandomState}); see docs/image.md for what is exact and what is within a
 * tolerance.
 */
package jkeras.preprocessing.image;
