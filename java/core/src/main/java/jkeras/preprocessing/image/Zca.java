package jkeras.preprocessing.image;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * ZCA whitening as Keras' {@code fit} computes it: {@code sigma = X^T X / n}, {@code U, S =
 * svd(sigma)}, components {@code U diag(1 / sqrt(S + eps)) U^T}. sigma is symmetric positive
 * semi-definite, so its symmetric eigendecomposition (EJML) gives the same matrix as the SVD;
 * computed in double, where Keras works in float32, so results agree to float32 conditioning, not
 * bit for bit.
 */
final class Zca {
  private Zca() {}

  static float[] principalComponents(float[] data, int n, int dim, double epsilon) {
    DMatrixRMaj x = new DMatrixRMaj(n, dim);
    for (int i = 0; i < data.length; i++) x.data[i] = data[i];
    DMatrixRMaj sigma = new DMatrixRMaj(dim, dim);
    CommonOps_DDRM.multInner(x, sigma);
    CommonOps_DDRM.divide(sigma, n);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(dim, true, true);
    if (!eig.decompose(sigma)) {
      throw new IllegalStateException("ZCA: the eigendecomposition of the covariance failed");
    }
    DMatrixRMaj u = new DMatrixRMaj(dim, dim);
    DMatrixRMaj us = new DMatrixRMaj(dim, dim);
    for (int k = 0; k < dim; k++) {
      DMatrixRMaj v = eig.getEigenVector(k);
      // Singular values of a PSD matrix are its eigenvalues' magnitudes.
      double f = 1.0 / Math.sqrt(Math.abs(eig.getEigenvalue(k).real) + epsilon);
      for (int i = 0; i < dim; i++) {
        u.set(i, k, v.get(i, 0));
        us.set(i, k, v.get(i, 0) * f);
      }
    }
    DMatrixRMaj pc = new DMatrixRMaj(dim, dim);
    CommonOps_DDRM.multTransB(us, u, pc);
    float[] out = new float[dim * dim];
    for (int i = 0; i < out.length; i++) out[i] = (float) pc.data[i];
    return out;
  }

  /** {@code flat_x @ principal_components} for one image. */
  static float[] whiten(float[] x, float[] pc) {
    int d = x.length;
    double[] acc = new double[d];
    for (int i = 0; i < d; i++) {
      double xi = x[i];
      if (xi == 0) continue;
      int row = i * d;
      for (int j = 0; j < d; j++) acc[j] += xi * pc[row + j];
    }
    float[] out = new float[d];
    for (int j = 0; j < d; j++) out[j] = (float) acc[j];
    return out;
  }
}
