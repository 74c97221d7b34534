"""The built-in rule pack: one module per chapter of the course notes.

Codes are numbered by topic so a code says where a rule lives:
001-019 the design card's lessons, 020-099 fundamentals (Regions, AZs, edge),
100-199 VPC networking, 200-299 compute, 300-399 storage, 400-499 databases
and caching, 500-549 IAM, 550-599 monitoring and load balancing,
600-649 automation, 650-749 hybrid networking, 750-849 serverless,
850-899 edge, 900-999 backup and DR. The prefix names the pillar.
"""
