"""Codes used for children, families and agencies."""

from django.db import models


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    # DfE children in need census codes: M, F, U (unknown or unborn).
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Brother or sister (adult)"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER = "other", "Other relative or adult"


class Ethnicity(models.TextChoices):
    # DfE ethnicity codes, as the children in need census and the SSD write them.
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class DisabilityCode(models.TextChoices):
    # DfE disability codes (children in need census).
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability under the Equality Act"


class UPNUnknown(models.TextChoices):
    # Why a child has no unique pupil number (DfE children in need census codes).
    UN1 = "UN1", "Child is now adopted"
    UN2 = "UN2", "Child has never attended a school in England"
    UN3 = "UN3", "Child is educated outside England"
    UN4 = "UN4", "Child is newly arrived in the UK"
    UN5 = "UN5", "Sources disagree on the child's name or date of birth"
    UN6 = "UN6", "Child is under 6 and not yet given a UPN"
    UN7 = "UN7", "Referral with no further action"
    UN8 = "UN8", "Casework only at referral stage"
    UN9 = "UN9", "Asylum seeker"
    UN10 = "UN10", "Child is unborn"
