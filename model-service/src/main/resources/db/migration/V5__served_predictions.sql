-- The propensity and churn scores as they were served: per family, subscriber and UTC day the last
-- score published that day. Once a day's outcome window (its horizon) has passed, monitoring joins
-- them with the realised outcomes from feature-service's training set as of that day (calibration).
-- Erasure deletes a subscriber's rows with its snapshot.
create table served_prediction (
    family        varchar(100)     not null,
    served_on     date             not null,
    subscriber_id varchar(255)     not null,
    model_version integer          not null,
    score         double precision not null,
    primary key (family, served_on, subscriber_id)
);
create index served_prediction_subscriber on served_prediction (subscriber_id);
