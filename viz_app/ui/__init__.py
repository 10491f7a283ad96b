"""Dash user interface: Cytoscape elements, layout, stylesheet and the app."""
