package jkeras.preprocessing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import jkeras.data.Batch;
import jkeras.data.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryIteratorTest {
  @TempDir Path dir;

  static void png(Path file, int w, int h, int rgb) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb + x * 3 + y);
    ImageIO.write(img, "png", file.toFile());
  }

  void threeClasses() throws IOException {
    png(dir.resolve("dogs/b.png"), 6, 4, 0x102030);
    png(dir.resolve("dogs/a.png"), 6, 4, 0x405060);
    png(dir.resolve("cats/z.png"), 5, 5, 0x708090);
    png(dir.resolve("cats/sub/y.png"), 5, 5, 0x0a0b0c);
    png(dir.resolve("birds/x.png"), 3, 3, 0xa0b0c0);
    Files.writeString(dir.resolve("birds/notes.txt"), "not an image");
  }

  DirectoryOptions.Builder opts() {
    return DirectoryOptions.builder().targetSize(4, 6).shuffle(false);
  }

  @Test
  void classesAreSortedSubdirectoriesAndFilesASortedWalk() throws IOException {
    threeClasses();
    DirectoryIterator it = ImageDataGenerator.create().flowFromDirectory(dir, opts().build());
    assertThat(it.classIndices())
        .containsExactly(
            java.util.Map.entry("birds", 0),
            java.util.Map.entry("cats", 1),
            java.util.Map.entry("dogs", 2));
    assertThat(it.filenames())
        .containsExactly("birds/x.png", "cats/z.png", "cats/sub/y.png", "dogs/a.png", "dogs/b.png");
    assertThat(it.classes()).containsExactly(0, 1, 1, 2, 2);
    Batch b = it.get(0);
    assertThat(((NDArray) b.x()).shape()).containsExactly(5, 4, 6, 3);
    assertThat(((NDArray) b.y()).shape()).containsExactly(5, 3);
    assertThat(((NDArray) b.y()).getFloat(2, 1)).isEqualTo(1f);
  }

  @Test
  void classModesGiveKerasLabels() throws IOException {
    threeClasses();
    ImageDataGenerator g = ImageDataGenerator.create();
    Batch sparse = g.flowFromDirectory(dir, opts().classMode("sparse").build()).get(0);
    assertThat(((NDArray) sparse.y()).toFloatArray()).containsExactly(0, 1, 1, 2, 2);
    Batch input = g.flowFromDirectory(dir, opts().classMode("input").build()).get(0);
    assertThat(input.y()).isEqualTo(input.x());
    assertThat(g.flowFromDirectory(dir, opts().classMode(null).build()).get(0).y()).isNull();
    Batch chosen =
        g.flowFromDirectory(
                dir, opts().classes(List.of("dogs", "cats")).classMode("binary").build())
            .get(0);
    assertThat(((NDArray) chosen.y()).toFloatArray()).containsExactly(0, 0, 1, 1);
  }

  @Test
  void colorModesAndResizingShapeTheImages() throws IOException {
    png(dir.resolve("c/a.png"), 8, 8, 0x204060);
    ImageDataGenerator g = ImageDataGenerator.create();
    for (String interpolation : List.of("nearest", "bilinear", "bicubic")) {
      NDArray gray =
          (NDArray)
              g.flowFromDirectory(
                      dir,
                      opts()
                          .targetSize(3, 5)
                          .colorMode("grayscale")
                          .interpolation(interpolation)
                          .build())
                  .get(0)
                  .x();
      assertThat(gray.shape()).containsExactly(1, 3, 5, 1);
    }
    NDArray rgba = (NDArray) g.flowFromDirectory(dir, opts().colorMode("rgba").build()).get(0).x();
    assertThat(rgba.shape()).containsExactly(1, 4, 6, 4);
    assertThat(rgba.getFloat(0, 0, 0, 3)).isEqualTo(255f);
    // Unresized: the pixel values of the file (0x20, 0x40, 0x60 at the origin).
    NDArray same = (NDArray) g.flowFromDirectory(dir, opts().targetSize(8, 8).build()).get(0).x();
    assertThat(
            new float[] {
              same.getFloat(0, 0, 0, 0), same.getFloat(0, 0, 0, 1), same.getFloat(0, 0, 0, 2)
            })
        .containsExactly(32, 64, 96);
  }

  @Test
  void subsetsSplitEachClassHeadForValidation() throws IOException {
    for (int i = 0; i < 4; i++) {
      png(dir.resolve("a/" + i + ".png"), 2, 2, i);
      png(dir.resolve("b/" + i + ".png"), 2, 2, i);
    }
    ImageDataGenerator g = ImageDataGenerator.builder().validationSplit(0.25).build();
    DirectoryIterator val = g.flowFromDirectory(dir, opts().subset("validation").build());
    assertThat(val.filenames()).containsExactly("a/0.png", "b/0.png");
    assertThat(g.flowFromDirectory(dir, opts().subset("training").build()).samples()).isEqualTo(6);
  }

  @Test
  void followsLinksOnlyWhenAsked() throws IOException {
    png(dir.resolve("elsewhere/x.png"), 2, 2, 1);
    Files.createDirectories(dir.resolve("root/c"));
    Files.createSymbolicLink(dir.resolve("root/c/linked"), dir.resolve("elsewhere"));
    ImageDataGenerator g = ImageDataGenerator.create();
    assertThat(g.flowFromDirectory(dir.resolve("root"), opts().build()).samples()).isZero();
    assertThat(
            g.flowFromDirectory(dir.resolve("root"), opts().followLinks(true).build()).filenames())
        .containsExactly("c/linked/x.png");
  }

  @Test
  void aCorruptImageIsAnErrorNamingTheFile() throws IOException {
    png(dir.resolve("c/good.png"), 2, 2, 1);
    Files.createDirectories(dir.resolve("c"));
    Files.write(dir.resolve("c/bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    DirectoryIterator it = ImageDataGenerator.create().flowFromDirectory(dir, opts().build());
    assertThatThrownBy(() -> it.get(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.png");
  }

  @Test
  void rejectsBadOptionsWithKerasMessages() {
    assertThatThrownBy(() -> DirectoryOptions.builder().colorMode("cmyk").build())
        .hasMessageContaining("Invalid color mode: cmyk");
    assertThatThrownBy(() -> DirectoryOptions.builder().classMode("multi").build())
        .hasMessageContaining("Invalid class_mode: multi");
    assertThatThrownBy(() -> DirectoryOptions.builder().interpolation("cubic").build())
        .hasMessageContaining("Invalid interpolation method cubic specified.");
  }
}
