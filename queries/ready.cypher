// internal: the services' readiness probe (GET /readyz): a query the database must run within a short time limit, which a
// database whose query threads are all stuck cannot, though it still answers a ping.
// columns: ready
RETURN 1 AS ready
