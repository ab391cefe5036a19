"""The analytics big screen (大屏): a full-screen dashboard for the second monitor, drawn with pyqtgraph."""
