# dualjit validate reproducer -- property 'oracle'
# f' = -1.3980182829740437, true -2.81455034452241: 3.19e+15 ulp > budget 24 ulp at x = -0.0 (-0x0.0p+0)
# Run as is: it raises AssertionError while the failure is present.
import math
import numpy as np
import dualjit


def f48(x):
    t0 = x
    t1 = math.atan2(t0, -0.354623)
    t2 = np.logaddexp(t1, -3.12467)
    return t2

import numba
from dualjit import Dual, HyperDual

f48 = numba.njit(cache=False)(f48)
x = float.fromhex('-0x0.0p+0')
cert = dualjit.certify_function(f48, x)
print(cert)
budget = 24.023822234328403  # ulps: C*B/|f'| from dualjit.validate.budget
assert cert.derivative_ulp <= budget, ("f' off by", cert.derivative_ulp, 'ulp > budget', budget)
