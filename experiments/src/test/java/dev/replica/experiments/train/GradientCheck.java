package dev.replica.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.data.Rng;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Central finite differences against analytic gradients on a few coordinates of every parameter. */
final class GradientCheck {

    private GradientCheck() {}

    /**
     * @param loss      recomputes the loss from the current parameter values (no gradient side effects needed)
     * @param perParam  coordinates checked per parameter
     */
    static double check(List<Param> params, DoubleSupplier loss, int perParam, float eps, double tol) {
        Rng rng = Rng.of(99, 0);
        double worst = 0;
        for (Param p : params) {
            for (int c = 0; c < perParam; c++) {
                int i = rng.nextInt(p.size());
                float orig = p.w()[i];
                p.w()[i] = orig + eps;
                double up = loss.getAsDouble();
                p.w()[i] = orig - eps;
                double down = loss.getAsDouble();
                p.w()[i] = orig;
                double fd = (up - down) / (2 * eps);
                double an = p.g()[i];
                double err = Math.abs(fd - an) / Math.max(1e-2, Math.abs(fd) + Math.abs(an));
                worst = Math.max(worst, err);
                assertThat(err)
                        .as("%s[%d]: finite difference %.6g vs analytic %.6g", p.name(), i, fd, an)
                        .isLessThan(tol);
            }
        }
        System.out.printf("gradient check: worst relative error %.3g over %d parameters%n", worst, params.size());
        return worst;
    }
}
