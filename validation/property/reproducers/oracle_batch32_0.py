# dualjit validate reproducer -- property 'oracle'
# f'' = nan, true 1.3930354520093504e+182: nan_mismatch > budget 283 ulp at x = 83.51589356274779 (0x1.4e104666f0dffp+6)
# Run as is: it raises AssertionError while the failure is present.
import math
import numpy as np
import dualjit


def f32(x):
    t0 = x
    t1 = math.expm1(t0)
    t2 = t1 * t1
    t3 = 0.1
    t4 = t3 + t2
    t5 = np.sqrt(t4)
    t6 = t5 * t5
    t7 = 1.0
    t8 = t7 + t6
    t9 = math.pow(t8, 2.49168)
    t10 = t0 + t9
    t11 = dualjit.logaddexp(t10, 3.75313)
    return t11

import numba
from dualjit import Dual, HyperDual

f32 = numba.njit(cache=False)(f32)
x = float.fromhex('0x1.4e104666f0dffp+6')
cert = dualjit.certify_function(f32, x)
print(cert)
budget = 283.2106851602132  # ulps: C*B/|f''| from dualjit.validate.budget
assert cert.second_derivative_ulp <= budget, ("f'' off by", cert.second_derivative_ulp, 'ulp > budget', budget)
