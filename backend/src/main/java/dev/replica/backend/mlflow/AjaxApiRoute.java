package dev.replica.backend.mlflow;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * MLflow's clients and UI also call the tracking API under {@code /ajax-api/2.0/mlflow}: those requests
 * are rerouted to {@code /api/2.0/mlflow} before anything else sees them, so the same resource, the same
 * token check ({@code /api} paths) and the same errors apply.
 */
@ApplicationScoped
public class AjaxApiRoute {

    static final String AJAX = "/ajax-api/2.0/mlflow/";
    static final String API = "/api/2.0/mlflow/";

    void register(@Observes Router router) {
        router.route("/ajax-api/2.0/mlflow/*").order(Integer.MIN_VALUE).handler(rc -> {
            String uri = rc.request().uri();
            rc.reroute(API + uri.substring(AJAX.length()));
        });
    }
}
