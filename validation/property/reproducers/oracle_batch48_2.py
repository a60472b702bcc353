# dualjit validate reproducer -- property 'oracle'
# f'' = 1.9878111265232805, true 0.015045781486835068: 1.14e+18 ulp > budget 60.5 ulp at x = -0.0 (-0x0.0p+0)
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
budget = 60.51872614570237  # ulps: C*B/|f''| from dualjit.validate.budget
assert cert.second_derivative_ulp <= budget, ("f'' off by", cert.second_derivative_ulp, 'ulp > budget', budget)
