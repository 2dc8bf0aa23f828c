// Tests of LocatedYAML.
