-- palette: lumo20, the dashboard's twenty named colours, chosen to stay distinct from each
-- other (series are coloured by rank: the costliest model first; the twentieth is kept
-- for 'other', the models past the nineteenth grouped together).
-- rank            1-20; 20 is 'other'
-- name            colour name
-- hex             CSS colour, #rrggbb
DROP VIEW IF EXISTS palette;
CREATE VIEW palette (rank, name, hex) AS
VALUES (1, 'blue', '#1f77b4'), (2, 'orange', '#ff7f0e'), (3, 'green', '#2ca02c'), (4, 'red', '#d62728'),
       (5, 'purple', '#9467bd'), (6, 'brown', '#8c564b'), (7, 'pink', '#e377c2'), (8, 'olive', '#bcbd22'),
       (9, 'cyan', '#17becf'), (10, 'navy', '#000075'), (11, 'maroon', '#800000'), (12, 'teal', '#469990'),
       (13, 'lavender', '#b39ddb'), (14, 'mint', '#3cb44b'), (15, 'apricot', '#f5a25d'), (16, 'gold', '#e6b800'),
       (17, 'magenta', '#f032e6'), (18, 'lime', '#9acd32'), (19, 'indigo', '#4b0082'), (20, 'grey', '#9e9e9e');
