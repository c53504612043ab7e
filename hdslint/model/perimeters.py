"""The six HDS perimeters: the hosting activities of article R.1111-9 of the Code de la santé
publique, in the official numbering (some material, vendor pages included, swaps 3 and 4)."""
from __future__ import annotations

PERIMETERS = {
    1: "Physical sites hosting the hardware",
    2: "Hardware infrastructure",
    3: "Virtual infrastructure",
    4: "Application hosting platform",
    5: "Administration and operation of the information system",
    6: "Backup of health data",
}
