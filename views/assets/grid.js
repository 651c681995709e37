// The scheduling grid's script: see server/web/workspace/grid/. The grid works without it.
