"""python -m kztrade check | export"""

from .cli import main

raise SystemExit(main())
