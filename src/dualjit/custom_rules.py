"""The custom rules registered with :func:`dualjit.rule`, as attributes by name.

``dualjit.custom_rules.logistic`` is the function registered under the name
``logistic`` (the latest registration of a name). Generated programs
(``dualjit validate --rules``) refer to custom rules this way; your own code should
import the function from the module that defines it.
"""
