"""``python -m nas_search`` runs the ``nas-py`` command line."""
import sys

from ._cli import main

sys.exit(main())
