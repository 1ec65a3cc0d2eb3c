-- The laptop's PostgreSQL: one database per service, as in the cluster (compose.yaml).
CREATE DATABASE registration;
CREATE DATABASE selection;
CREATE DATABASE assessment;
CREATE DATABASE pembinaan;
