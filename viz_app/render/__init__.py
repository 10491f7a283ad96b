"""Drawing shared by the app and the evidence: the Cytoscape stylesheet, its shapes and palettes,
and the SVG renderer. It imports nothing from ui or evidence (core at most)."""
