"""The pages a person browses and ``srkg visualise`` exports: the network views (pyvis), the source
reader, the timeline and the stance matrix."""
