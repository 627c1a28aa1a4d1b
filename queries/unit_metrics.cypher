// internal: the pictures' (api/pictures.py, through Services.unit_metrics), which size and colour units by these.
// Every unit with what the analytics stored on it (null until they have run): its short names, weighted
// load, overload rank, community and the overload's reasons. The pictures size and colour units by these.
// columns: id, short_names, load, overload_rank, community, overload_reasons
MATCH (u:Unit)
RETURN u.id AS id, u.short_names AS short_names, u.load AS load, u.overload_rank AS overload_rank,
       u.community AS community, u.overload_reasons AS overload_reasons
ORDER BY id
