import sys

if sys.argv[1:2] == ["flashsale"]:
    from bench.flashsale import main as flashsale

    sys.exit(flashsale(sys.argv[2:]))

from bench.run import main

sys.exit(main())
