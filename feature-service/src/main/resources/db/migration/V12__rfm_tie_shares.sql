-- Each RFM boundary's share of the customers tied at its value who lie at or below the cut (see Rfm):
-- ties are split across the quintiles they span. Null (rows from before): 1, all at or below.
alter table rfm_boundaries add column recency_share double precision[];
alter table rfm_boundaries add column frequency_share double precision[];
alter table rfm_boundaries add column monetary_share double precision[];
