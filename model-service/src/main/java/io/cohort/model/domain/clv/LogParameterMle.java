package io.cohort.model.domain.clv;

import java.util.function.ToDoubleFunction;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood for strictly positive parameters with Hipparchus: the log-likelihood is
 * maximised over the logs of the parameters (so the search is unconstrained) by Nelder–Mead,
 * restarted from its own optimum until the log-likelihood stops improving (a simplex can stall on
 * a ridge; a fresh simplex around the best point gets it moving again).
 */
final class LogParameterMle {

    private static final int MAX_EVALUATIONS = 20_000;
    private static final int MAX_RESTARTS = 20;

    private LogParameterMle() {
    }

    /** The fitted parameters (natural scale) and the maximised log-likelihood. */
    record Fit(double[] parameters, double logLikelihood, int restarts) {
    }

    static Fit maximise(ToDoubleFunction<double[]> logLikelihood, double[] start) {
        ObjectiveFunction objective = new ObjectiveFunction(logParams -> {
            double[] params = new double[logParams.length];
            for (int i = 0; i < params.length; i++) {
                params[i] = Math.exp(logParams[i]);
            }
            double value = logLikelihood.applyAsDouble(params);
            return Double.isFinite(value) ? value : -1e300;
        });
        double[] point = new double[start.length];
        for (int i = 0; i < start.length; i++) {
            if (!(start[i] > 0)) {
                throw new IllegalArgumentException("start values must be positive");
            }
            point[i] = Math.log(start[i]);
        }
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-13);
        double best = Double.NEGATIVE_INFINITY;
        int restarts = 0;
        while (restarts < MAX_RESTARTS) {
            PointValuePair result = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), objective, GoalType.MAXIMIZE,
                    new InitialGuess(point), new NelderMeadSimplex(point.length, 0.1));
            boolean improved = result.getValue() > best + 1e-9;
            if (result.getValue() > best) {
                best = result.getValue();
                point = result.getPoint();
            }
            restarts++;
            if (!improved) {
                break;
            }
        }
        double[] params = new double[point.length];
        for (int i = 0; i < params.length; i++) {
            params[i] = Math.exp(point[i]);
        }
        return new Fit(params, best, restarts);
    }
}
