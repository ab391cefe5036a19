"""Cases on the server: case numbers (案件编号) and the petitioner's SMS notices, written with the accepted changes."""
